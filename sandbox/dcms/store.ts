import type { CardFactory, IssuedCard } from './issuance.js';
import type { KitRequest, RegisterRequest } from './schemas.js';

export interface CustomerRecord {
  profile: RegisterRequest;
  /** Kit numbers in issue order, so viewCustomer lists cards as DCMS issued them. */
  kitNos: string[];
}

export interface DeliveryChange {
  status: string;
  at: string;
}

export interface KitRecord {
  card: IssuedCard;
  deliveryStatus: string | null;
  deliveryHistory: DeliveryChange[];
}

/** One tenant's data; nothing is shared between tenants, as DCMS isolates them. */
class TenantData {
  readonly customers = new Map<string, CustomerRecord>();
  readonly kits = new Map<string, KitRecord>();
  /** Cards issued per (entityId, accountNo, cardType): above 1 means a duplicate card. */
  readonly cardsPerKey = new Map<string, number>();
}

export interface TenantCounts {
  customers: number;
  kits: number;
}

/** Per-tenant sandbox state plus the counters that only the data can tell (duplicates, deliveries). */
export class SandboxStore {
  private tenants = new Map<string, TenantData>();
  private counters = { duplicateCards: 0, deliveryUpdates: 0, deliveryKitFailures: 0 };

  constructor(
    private readonly factory: CardFactory,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private data(tenant: string): TenantData {
    let data = this.tenants.get(tenant);
    if (data === undefined) {
      data = new TenantData();
      this.tenants.set(tenant, data);
    }
    return data;
  }

  customer(tenant: string, entityId: string): CustomerRecord | undefined {
    return this.tenants.get(tenant)?.customers.get(entityId);
  }

  kitsOf(tenant: string, customer: CustomerRecord): KitRecord[] {
    const kits = this.data(tenant).kits;
    return customer.kitNos.flatMap((kitNo) => kits.get(kitNo) ?? []);
  }

  /** The first requested pre-allocated kit number that cannot be used (already assigned or repeated). */
  unavailableKitNo(tenant: string, requests: readonly KitRequest[]): string | undefined {
    const kits = this.tenants.get(tenant)?.kits;
    const seen = new Set<string>();
    for (const { kitNo } of requests) {
      if (kitNo === undefined) continue;
      if (seen.has(kitNo) || kits?.has(kitNo) === true) return kitNo;
      seen.add(kitNo);
    }
    return undefined;
  }

  addCustomer(tenant: string, profile: RegisterRequest): CustomerRecord {
    const record: CustomerRecord = { profile, kitNos: [] };
    this.data(tenant).customers.set(profile.entityId, record);
    return record;
  }

  /** Issues one card per request. Check `unavailableKitNo` first: this never refuses. */
  issueCards(tenant: string, customer: CustomerRecord, requests: readonly KitRequest[]): IssuedCard[] {
    const data = this.data(tenant);
    const entityId = customer.profile.entityId;
    return requests.map((request) => {
      const schemeCode = customer.profile.accountInfo.find((account) => account.accountNo === request.accountNo)?.schemeCode;
      const kitNo = request.kitNo ?? this.factory.nextKit((candidate) => data.kits.has(candidate));
      const card = this.factory.issue({ entityId, accountNo: request.accountNo, cardType: request.cardType, schemeCode: schemeCode ?? undefined, kitNo });
      data.kits.set(kitNo, { card, deliveryStatus: null, deliveryHistory: [] });
      customer.kitNos.push(kitNo);
      const key = `${entityId}\u0000${request.accountNo}\u0000${request.cardType}`;
      const issued = (data.cardsPerKey.get(key) ?? 0) + 1;
      data.cardsPerKey.set(key, issued);
      if (issued > 1) this.counters.duplicateCards += 1;
      return card;
    });
  }

  /** Sets an absolute delivery status; false when the tenant has no such kit. No transition rules (reference §3.3). */
  setDeliveryStatus(tenant: string, kitNo: string, status: string): boolean {
    const kit = this.tenants.get(tenant)?.kits.get(kitNo);
    if (kit === undefined) {
      this.counters.deliveryKitFailures += 1;
      return false;
    }
    kit.deliveryStatus = status;
    kit.deliveryHistory.push({ status, at: this.now().toISOString() });
    this.counters.deliveryUpdates += 1;
    return true;
  }

  /** A copy of one kit, delivery history included, for tests and the admin API. */
  kit(tenant: string, kitNo: string): KitRecord | undefined {
    const kit = this.tenants.get(tenant)?.kits.get(kitNo);
    return kit === undefined ? undefined : structuredClone(kit);
  }

  tenantCounts(): Record<string, TenantCounts> {
    return Object.fromEntries(
      [...this.tenants].map(([tenant, data]) => [tenant, { customers: data.customers.size, kits: data.kits.size }]),
    );
  }

  get duplicateCards(): number {
    return this.counters.duplicateCards;
  }

  get deliveryUpdates(): number {
    return this.counters.deliveryUpdates;
  }

  get deliveryKitFailures(): number {
    return this.counters.deliveryKitFailures;
  }

  reset(): void {
    this.tenants = new Map();
    this.counters = { duplicateCards: 0, deliveryUpdates: 0, deliveryKitFailures: 0 };
  }
}
