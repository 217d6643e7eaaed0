import type { CardFactory, IssuedCard } from './issuance.js';
import type { KitRequest, RegisterRequest } from './schemas.js';
import type { TenantCounts, TenantHoldings } from './stats.js';

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
  /** When the card was issued, and when its card status last changed (ISO instants). */
  createdAt: string;
  changedAt: string;
  /** When the card first became ACTIVE; null while it never was. */
  activatedAt: string | null;
}

/** One kit as the admin API and a run's verification see it: where it belongs, and its statuses. */
export interface SandboxKitState {
  tenant: string;
  kitNo: string;
  entityId: string;
  accountNo: string;
  cardType: string;
  cardStatus: string;
  deliveryStatus: string | null;
  deliveryHistory: DeliveryChange[];
}

/** A (tenant, entityId, accountNo, cardType) that DCMS issued more than one card for. */
export interface CardsIssuedTwice {
  tenant: string;
  entityId: string;
  accountNo: string;
  cardType: string;
  /** Every kit issued for it, in issue order. */
  kitNos: string[];
}

/** Where an account shows up in a tenant: the customers listing it, and the kits linked to it. */
export interface AccountHolders {
  holders: Array<{ customer: CustomerRecord; account: RegisterRequest['accountInfo'][number] | undefined; kits: KitRecord[] }>;
}

const cardKey = (entityId: string, accountNo: string, cardType: string) => `${entityId}\u0000${accountNo}\u0000${cardType}`;

/** One tenant's data; nothing is shared between tenants, as DCMS isolates them. */
class TenantData {
  readonly customers = new Map<string, CustomerRecord>();
  readonly kits = new Map<string, KitRecord>();
  /** Kits issued per (entityId, accountNo, cardType): more than one means a second card. */
  readonly kitsPerKey = new Map<string, string[]>();
  /** Delivery statuses applied to its kits, one per kit per accepted update. */
  deliveryStatuses = 0;
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

  /**
   * Every customer of the tenant that lists the account or holds a kit linked to it, in
   * registration order; undefined when DCMS knows the account from neither.
   */
  accountHolders(tenant: string, accountNo: string): AccountHolders | undefined {
    const data = this.tenants.get(tenant);
    if (data === undefined) return undefined;
    const holders: AccountHolders['holders'] = [];
    for (const customer of data.customers.values()) {
      const account = customer.profile.accountInfo.find((entry) => entry.accountNo === accountNo);
      const kits = this.kitsOf(tenant, customer).filter((kit) => kit.card.accountNo === accountNo);
      if (account !== undefined || kits.length > 0) holders.push({ customer, account, kits });
    }
    return holders.length === 0 ? undefined : { holders };
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

  /**
   * Issues one card per request, through `/register` (insta-card) and `/registerCard` alike, and
   * counts every card beyond the first for its (entityId, accountNo, cardType) as a duplicate.
   * Check `unavailableKitNo` first: this never refuses.
   */
  issueCards(tenant: string, customer: CustomerRecord, requests: readonly KitRequest[]): IssuedCard[] {
    const data = this.data(tenant);
    const entityId = customer.profile.entityId;
    return requests.map((request) => {
      const schemeCode = customer.profile.accountInfo.find((account) => account.accountNo === request.accountNo)?.schemeCode;
      const kitNo = request.kitNo ?? this.factory.nextKit((candidate) => data.kits.has(candidate));
      const card = this.factory.issue({ entityId, accountNo: request.accountNo, cardType: request.cardType, schemeCode: schemeCode ?? undefined, kitNo });
      const at = this.now().toISOString();
      data.kits.set(kitNo, { card, deliveryStatus: null, deliveryHistory: [], createdAt: at, changedAt: at, activatedAt: null });
      customer.kitNos.push(kitNo);
      const key = cardKey(entityId, request.accountNo, request.cardType);
      const issued = [...(data.kitsPerKey.get(key) ?? []), kitNo];
      data.kitsPerKey.set(key, issued);
      if (issued.length > 1) this.counters.duplicateCards += 1;
      return card;
    });
  }

  /** Sets an absolute delivery status; false when the tenant has no such kit. No transition rules (docs/reference/dcms.md §3.3). */
  setDeliveryStatus(tenant: string, kitNo: string, status: string): boolean {
    const data = this.tenants.get(tenant);
    const kit = data?.kits.get(kitNo);
    if (data === undefined || kit === undefined) {
      this.counters.deliveryKitFailures += 1;
      return false;
    }
    kit.deliveryStatus = status;
    kit.deliveryHistory.push({ status, at: this.now().toISOString() });
    this.counters.deliveryUpdates += 1;
    data.deliveryStatuses += 1;
    return true;
  }

  /** Whether the tenant has the kit: what a deliveryStatus call checks before it applies anything. */
  hasKit(tenant: string, kitNo: string): boolean {
    return this.tenants.get(tenant)?.kits.has(kitNo) === true;
  }

  /**
   * Sets a card's status (ACTIVE, LOCKED, REPLACED…), as DCMS's card-lifecycle operations would; the
   * sandbox serves none of those, so tests reach this through the admin API. False for an unknown kit.
   */
  setCardStatus(tenant: string, kitNo: string, cardStatus: string): boolean {
    const kit = this.tenants.get(tenant)?.kits.get(kitNo);
    if (kit === undefined) return false;
    const at = this.now().toISOString();
    kit.card.cardStatus = cardStatus;
    kit.changedAt = at;
    if (cardStatus === 'ACTIVE') kit.activatedAt ??= at;
    return true;
  }

  /** A copy of one kit, delivery history included, for tests and the admin API. */
  kit(tenant: string, kitNo: string): KitRecord | undefined {
    const kit = this.tenants.get(tenant)?.kits.get(kitNo);
    return kit === undefined ? undefined : structuredClone(kit);
  }

  /** Every kit of every tenant, with its delivery status: what a run's verification compares against. */
  kits(): SandboxKitState[] {
    return [...this.tenants].flatMap(([tenant, data]) =>
      [...data.kits.values()].map(({ card, deliveryStatus, deliveryHistory }) => ({
        tenant,
        kitNo: card.kitNo,
        entityId: card.entityId,
        accountNo: card.accountNo,
        cardType: card.cardType,
        cardStatus: card.cardStatus,
        deliveryStatus,
        deliveryHistory: structuredClone(deliveryHistory),
      })),
    );
  }

  /** Every (tenant, entityId, accountNo, cardType) with more than one card. */
  cardsIssuedTwice(): CardsIssuedTwice[] {
    return [...this.tenants].flatMap(([tenant, data]) =>
      [...data.kitsPerKey].flatMap(([key, kitNos]) => {
        if (kitNos.length < 2) return [];
        const [entityId = '', accountNo = '', cardType = ''] = key.split('\u0000');
        return [{ tenant, entityId, accountNo, cardType, kitNos: [...kitNos] }];
      }),
    );
  }

  tenantCounts(): Record<string, TenantCounts> {
    return Object.fromEntries([...this.tenants].map(([tenant, data]) => [tenant, { customers: data.customers.size, kits: data.kits.size }]));
  }

  holdings(): Record<string, TenantHoldings> {
    return Object.fromEntries([...this.tenants].map(([tenant, data]) => [tenant, { customers: data.customers.size, kits: data.kits.size, deliveryStatuses: data.deliveryStatuses }]));
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
