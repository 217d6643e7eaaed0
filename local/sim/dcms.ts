import { fromException, fromStatus, fromTransport, type DcmsOperation } from '../../shared/dcms/classify.js';
import type { CustomerView, DcmsKit, DeliveryStatusRequest, KitDeliveryResult, RegisterCardRequest, RegisterCustomerRequest, RegistrationResult } from '../../shared/dcms/schemas.js';
import { PLATFORM, type World } from './world.js';

/** DCMS as M2P documents it misbehaving (shared/reference/dcms-api.md), each fault a per-call chance. */
export interface DcmsFaults {
  /** 5xx before anything is applied. */
  errorRate: number;
  /** 429 with Retry-After. */
  throttleRate: number;
  /** Applied, then answered 5xx. */
  commitThenFailRate: number;
  /** Applied, then the connection dropped. */
  commitThenDropRate: number;
  /** Applied up to `maxCommitDelayMs` after it was received, after our client gave up. */
  slowCommitRate: number;
  maxCommitDelayMs: number;
  /** Everything answered 503 from `outageFrom` until `outageUntil` (epoch ms). */
  outage?: { from: number; until: number } | undefined;
}

export const NO_DCMS_FAULTS: DcmsFaults = { errorRate: 0, throttleRate: 0, commitThenFailRate: 0, commitThenDropRate: 0, slowCommitRate: 0, maxCommitDelayMs: 0 };

/** How long our client waits for a write before it gives up (the real client's order of magnitude). */
const CLIENT_TIMEOUT_MS = 10_000;

interface Customer {
  entityId: string;
  firstName: string;
  lastName: string;
  dob: string;
}

interface Kit {
  kitNo: string;
  entityId: string;
  accountNo: string;
  cardType: string;
}

/** Every effect DCMS applied, in order: what the invariants are checked against. */
export interface DcmsLedger {
  registrations: Array<{ tenant: string; entityId: string; at: number }>;
  cards: Array<{ tenant: string; entityId: string; accountNo: string; cardType: string; kitNo: string; at: number }>;
  statuses: Array<{ tenant: string; kitNo: string; status: string; at: number }>;
  /** Calls per operation, by record key (the business key the call served). */
  calls: Array<{ operation: DcmsOperation; key: string; at: number }>;
  /** When each card's `/registerCard` was answered CUS001 (its customer not there yet). */
  customerMissing: Map<string, number[]>;
  /** Writes answered so that they may have been applied (timeout, dropped connection, 5xx), by key: each may schedule one retry at its settle window's end. */
  unknownOutcomes: Map<string, number>;
}

type Call<T> = { operation: DcmsOperation; key: string; write: boolean; apply: () => T };

/**
 * The DCMS double of the simulator: the five calls the workers make, with DCMS's own state (its
 * customers and kits per tenant), its answers classified exactly as the real client classifies
 * them (shared/dcms/classify.ts), and its faults, including commits that land after the client gave up.
 */
export class SimDcms {
  readonly ledger: DcmsLedger = { registrations: [], cards: [], statuses: [], calls: [], customerMissing: new Map(), unknownOutcomes: new Map() };
  private readonly customers = new Map<string, Customer>();
  private readonly kits = new Map<string, Kit>();
  private nextKit = 1;
  faults: DcmsFaults = NO_DCMS_FAULTS;

  constructor(private readonly world: World) {}

  /** A kit DCMS holds already (issued outside the simulated run), for courier scans. */
  seedKit(tenant: string, kitNo: string): void {
    this.kits.set(`${tenant}#${kitNo}`, { kitNo, entityId: 'SEEDED', accountNo: '0', cardType: 'PHYSICAL' });
  }

  /** A customer registered outside this integration, with a card it already holds. */
  seedCustomer(tenant: string, entityId: string, card: { accountNo: string; cardType: string }): void {
    this.customers.set(`${tenant}#${entityId}`, { entityId, firstName: 'PRE', lastName: 'EXISTING', dob: '1980-01-01' });
    this.issue(tenant, entityId, card.accountNo, card.cardType);
  }

  /**
   * A branch issues a card for this account, as soon as the customer exists and unless it holds one
   * already (a branch looks before it issues); `then` runs once it did or did not.
   */
  issueElsewhere(tenant: string, card: { entityId: string; accountNo: string; cardType: string }, then: () => void): void {
    if (!this.customers.has(`${tenant}#${card.entityId}`)) return this.world.schedule(1_000, PLATFORM, () => this.issueElsewhere(tenant, card, then));
    const held = this.kitsOf(tenant, card.entityId).some((k) => k.accountNo === card.accountNo && k.cardType === card.cardType);
    if (!held) {
      this.world.log(`DCMS: a branch issued a card for ${card.entityId}/${card.accountNo}`);
      this.issue(tenant, card.entityId, card.accountNo, card.cardType);
    }
    then();
  }

  statusOf(tenant: string, kitNo: string): string | undefined {
    return this.ledger.statuses.findLast((s) => s.tenant === tenant && s.kitNo === kitNo)?.status;
  }

  async register(tenant: string, request: RegisterCustomerRequest): Promise<RegistrationResult> {
    return this.call(tenant, {
      operation: 'register',
      key: `customer#${tenant}#${request.entityId}`,
      write: true,
      apply: () => {
        if (this.customers.has(`${tenant}#${request.entityId}`)) throw fromException('register', { errorCode: 'entity.already.exists', detailMessage: 'entity already exists' }, 400);
        this.customers.set(`${tenant}#${request.entityId}`, { entityId: request.entityId, firstName: request.firstName, lastName: request.lastName, dob: request.dob });
        this.ledger.registrations.push({ tenant, entityId: request.entityId, at: this.world.now });
        return { entityId: request.entityId, kitInfo: (request.kitInfo ?? []).map((kit) => this.issue(tenant, request.entityId, kit.accountNo, kit.cardType)) };
      },
    });
  }

  async registerCard(tenant: string, request: RegisterCardRequest): Promise<RegistrationResult> {
    const kit = request.kitInfo[0]!;
    return this.call(tenant, {
      operation: 'registerCard',
      key: `card#${tenant}#${request.entityId}#${kit.accountNo}#${kit.cardType}`,
      write: true,
      apply: () => {
        if (!this.customers.has(`${tenant}#${request.entityId}`)) throw fromException('registerCard', { errorCode: 'CUS001', detailMessage: 'customer not found' }, 400);
        return { entityId: request.entityId, kitInfo: [this.issue(tenant, request.entityId, kit.accountNo, kit.cardType)] };
      },
    });
  }

  async fetchKitsByEntityId(tenant: string, entityId: string): Promise<DcmsKit[] | null> {
    return this.call(tenant, {
      operation: 'fetchKits',
      key: `entity#${tenant}#${entityId}`,
      write: false,
      apply: () => (this.customers.has(`${tenant}#${entityId}`) ? this.kitsOf(tenant, entityId) : null),
    });
  }

  async viewCustomer(tenant: string, entityId: string): Promise<CustomerView | null> {
    return this.call(tenant, {
      operation: 'viewCustomer',
      key: `entity#${tenant}#${entityId}`,
      write: false,
      apply: () => {
        const customer = this.customers.get(`${tenant}#${entityId}`);
        return customer ? { ...customer, accountInfo: [], kitInfo: this.kitsOf(tenant, entityId) } : null;
      },
    });
  }

  async updateDeliveryStatus(tenant: string, request: DeliveryStatusRequest): Promise<KitDeliveryResult[]> {
    const [{ deliveryStatus, kitNo }] = request as [DeliveryStatusRequest[number]];
    return this.call(tenant, {
      operation: 'deliveryStatus',
      key: `kits#${tenant}#${kitNo.join(',')}`,
      write: true,
      apply: () =>
        kitNo.map((no): KitDeliveryResult => {
          if (!this.kits.has(`${tenant}#${no}`)) return { kitNo: no, exception: { errorCode: 'KIT_NOT_FOUND', detailMessage: 'kit not found' } } as KitDeliveryResult;
          this.ledger.statuses.push({ tenant, kitNo: no, status: deliveryStatus, at: this.world.now });
          return { kitNo: no, result: true } as KitDeliveryResult;
        }),
    });
  }

  private issue(tenant: string, entityId: string, accountNo: string, cardType: string): DcmsKit {
    const kitNo = `K${String(this.nextKit++).padStart(6, '0')}`;
    this.kits.set(`${tenant}#${kitNo}`, { kitNo, entityId, accountNo, cardType });
    this.ledger.cards.push({ tenant, entityId, accountNo, cardType, kitNo, at: this.world.now });
    return { kitNo, accountNo, cardType, cardStatus: 'ALLOCATED' } as DcmsKit;
  }

  private kitsOf(tenant: string, entityId: string): DcmsKit[] {
    return [...this.kits.values()]
      .filter((k) => k.entityId === entityId && this.kits.get(`${tenant}#${k.kitNo}`) === k)
      .map((k) => ({ kitNo: k.kitNo, accountNo: k.accountNo, cardType: k.cardType }) as DcmsKit);
  }

  /**
   * One call: DCMS handles it after half its latency, whatever becomes of the caller (a Lambda
   * killed meanwhile does not stop DCMS), with its faults; the answer, classified as the real
   * client classifies it, reaches the caller after the other half, or when the client gives up.
   */
  private call<T>(_tenant: string, call: Call<T>): Promise<T> {
    const { world } = this;
    const { random } = world;
    const caller = world.currentOwner;
    const latency = random.int(50, 300);
    this.ledger.calls.push({ operation: call.operation, key: call.key, at: world.now });
    return new Promise<T>((resolve, reject) => {
      world.schedule(latency / 2, PLATFORM, () => {
        const answer = (inMs: number, settle: () => void) => world.schedule(inMs, caller, settle);
        const fail = (error: unknown, inMs = latency / 2) => {
          world.log(`DCMS ${call.operation} ${call.key}: ${(error as { code?: string }).code ?? 'error'}`);
          if ((error as { category?: string }).category === 'UnknownOutcome') this.ledger.unknownOutcomes.set(call.key, (this.ledger.unknownOutcomes.get(call.key) ?? 0) + 1);
          answer(inMs, () => reject(error));
        };
        const faults = this.faults;
        if (faults.outage && world.now >= faults.outage.from && world.now < faults.outage.until) return fail(fromStatus(call.operation, 503));
        if (random.chance(faults.throttleRate)) return fail(fromStatus(call.operation, 429, 1));
        if (random.chance(faults.errorRate)) return fail(fromStatus(call.operation, 500));
        if (call.write && random.chance(faults.slowCommitRate)) {
          const commitIn = random.int(1, Math.max(1, faults.maxCommitDelayMs));
          world.log(`DCMS ${call.operation} ${call.key}: applied ${commitIn} ms after it was received`);
          world.schedule(commitIn, PLATFORM, () => {
            try {
              call.apply();
            } catch {
              // A late commit DCMS refuses (the customer is not there) leaves nothing behind.
            }
          });
          return fail(fromTransport(call.operation, Object.assign(new Error('timeout'), { name: 'TimeoutError' })), CLIENT_TIMEOUT_MS - latency / 2);
        }
        let result: T;
        try {
          result = call.apply();
        } catch (error) {
          if ((error as { code?: string }).code === 'CUS001') this.ledger.customerMissing.set(call.key, [...(this.ledger.customerMissing.get(call.key) ?? []), world.now]);
          return fail(error);
        }
        if (call.write && random.chance(faults.commitThenFailRate)) return fail(fromStatus(call.operation, 500));
        if (call.write && random.chance(faults.commitThenDropRate)) return fail(fromTransport(call.operation, new Error('socket hang up')));
        world.log(`DCMS ${call.operation} ${call.key}: ok`);
        answer(latency / 2, () => resolve(result));
      });
    });
  }
}
