import { createHash } from 'node:crypto';
import { COURIER_KIT_STATUS, courierKitStatusEvent, kitNumber, type CourierKitStatusEvent, type DeliveryStatus } from '../../../shared/contracts/courier-kit-status.js';
import type { CourierFormat, CourierSettings } from '../../../shared/courier/couriers.js';
import { bluedartFormat } from './bluedart.js';
import { delhiveryFormat } from './delhivery.js';
import { genericFormat } from './generic.js';
import { shiprocketFormat } from './shiprocket.js';
import type { CourierScan, FieldIssue, NativeFormat } from './types.js';

export type { CourierScan, FieldIssue } from './types.js';

const FORMATS: ReadonlyMap<CourierFormat, NativeFormat> = new Map<CourierFormat, NativeFormat>([
  ['generic', genericFormat],
  ['bluedart', bluedartFormat],
  ['delhivery', delhiveryFormat],
  ['shiprocket', shiprocketFormat],
]);

/** A scan with its delivery status. */
export interface MappedScan extends CourierScan {
  status: DeliveryStatus;
}

/** A mapped scan whose kit is known. */
export interface KitScan extends MappedScan {
  kitNo: string;
}

export interface ReadOptions {
  maxEvents: number;
  nowMs: number;
  /** The earliest instant a scan may carry (a configured floor: before it, no kit of ours was shipped). */
  earliestMs: number;
  /** How far ahead of our clock a scan may be: a courier's clock drifts, it does not see the future. */
  maxFutureMs: number;
}

export type ReadResult =
  | { kind: 'scans'; scans: MappedScan[] }
  | { kind: 'invalid'; issues: FieldIssue[] }
  /** Codes with no mapping: the request is refused whole, never guessed at. */
  | { kind: 'unknownCodes'; codes: string[] };

/** Namespace of our event ids (UUID v5). Never change it: every id would change with it. */
const EVENT_ID_NAMESPACE = Buffer.from('6f1c3b0e9a4d4c2a8e5b7d3f1a2c4e6b', 'hex');

/** Most field issues in one answer, so a huge bad batch cannot produce a huge answer. */
const MAX_ISSUES = 50;

/** RFC 9562 UUID version 5: SHA-1 of namespace + name, version and variant bits set. */
function uuidV5(name: string): string {
  const hash = createHash('sha1').update(EVENT_ID_NAMESPACE).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The same scan always gets the same id, whichever request carries it: courier, waybill, kit,
 * status and the instant (not its text, so `+05:30` and `Z` spellings of one instant agree).
 */
export const eventId = (courier: string, scan: Pick<KitScan, 'awb' | 'kitNo' | 'occurredAt'>, status: DeliveryStatus): string =>
  uuidV5([courier, scan.awb ?? '', scan.kitNo, status, new Date(scan.occurredAt).toISOString()].join('\n'));

/**
 * The scan's status: the integration's own codes first, then the format's table, most specific key
 * first. Own-property and Map lookups only: a code named after a built-in property (`constructor`,
 * `__proto__`) is an unknown code like any other.
 */
function resolveStatus(scan: CourierScan, format: NativeFormat, settings: CourierSettings): DeliveryStatus | undefined {
  for (const key of scan.lookup) {
    const status = Object.hasOwn(settings.statusCodes, key) ? settings.statusCodes[key] : format.statusCodes.get(key);
    if (status) return scan.returnLeg && (status === 'IN_TRANSIT' || status === 'DELIVERED') ? 'RETURNED' : status;
  }
  return undefined;
}

/** What is wrong with a well-formed scan: a reference that is not a kit number, no way to find the kit, a time out of bounds. */
function scanIssues(scan: CourierScan, settings: CourierSettings, options: ReadOptions): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { reference, occurredAt } = scan.paths;
  if (scan.reference !== undefined && !kitNumber.safeParse(scan.reference).success) {
    issues.push({ path: reference, message: 'must be our kit number (1 to 32 letters or digits)' });
  } else if (scan.reference === undefined && settings.kitLookup === 'reference') {
    issues.push({ path: reference, message: 'is required: this integration finds kits by our reference (the kit number)' });
  } else if (scan.reference === undefined && scan.awb === undefined) {
    issues.push({ path: reference, message: 'or the waybill is required to find the kit' });
  }
  const at = Date.parse(scan.occurredAt);
  if (at > options.nowMs + options.maxFutureMs) {
    issues.push({ path: occurredAt, message: `must not be more than ${Math.round(options.maxFutureMs / 60_000)} minutes ahead of our clock` });
  } else if (at < options.earliestMs) {
    issues.push({ path: occurredAt, message: `must not be before ${new Date(options.earliestMs).toISOString()}` });
  }
  return issues;
}

/**
 * A courier's native body as scans with their delivery status. All or nothing: one bad field (the
 * format's own rules, a reference that is not a kit number, a time in the future or before the
 * floor) answers 400 naming it; one unmapped code refuses the request with the codes named.
 */
export function readCourierPayload(json: unknown, settings: CourierSettings, options: ReadOptions): ReadResult {
  const format = FORMATS.get(settings.format)!;
  const parsed = format.parse(json, { utcOffset: settings.utcOffset });
  if (!parsed.ok) return { kind: 'invalid', issues: parsed.issues };
  if (parsed.scans.length > options.maxEvents) {
    return { kind: 'invalid', issues: [{ path: '(root)', message: `too many events: at most ${options.maxEvents} per request, this one has ${parsed.scans.length}` }] };
  }
  const issues = new Map<string, FieldIssue>();
  for (const scan of parsed.scans) for (const issue of scanIssues(scan, settings, options)) issues.set(`${issue.path}\n${issue.message}`, issue);
  if (issues.size > 0) return { kind: 'invalid', issues: [...issues.values()].slice(0, MAX_ISSUES) };

  const unknown = new Set<string>();
  const scans: MappedScan[] = [];
  for (const scan of parsed.scans) {
    const status = resolveStatus(scan, format, settings);
    if (status) scans.push({ ...scan, status });
    else unknown.add(scan.code);
  }
  return unknown.size > 0 ? { kind: 'unknownCodes', codes: [...unknown] } : { kind: 'scans', scans };
}

function toEvent(scan: KitScan, settings: CourierSettings): CourierKitStatusEvent {
  // Parsed against the contract the worker applies, so a mapping bug fails here, not downstream.
  return courierKitStatusEvent.parse({
    specversion: '1.0',
    id: eventId(settings.courier, scan, scan.status),
    source: `urn:courier:${settings.courier}`,
    type: COURIER_KIT_STATUS,
    time: scan.occurredAt,
    tenant: settings.tenant,
    datacontenttype: 'application/json',
    subject: scan.kitNo,
    data: {
      kitNo: scan.kitNo,
      status: scan.status,
      occurredAt: scan.occurredAt,
      awb: scan.awb,
      courier: settings.courier,
      location: scan.location,
      remarks: scan.remarks,
    },
  });
}

/**
 * `courier.kit.status.v1` events for the integration's tenant (from configuration, never from the
 * payload), oldest scan first. Two scans of one fact (e.g. two in-transit codes in the same
 * minute) are one event.
 */
export function toEvents(scans: readonly KitScan[], settings: CourierSettings): CourierKitStatusEvent[] {
  const events = new Map<string, CourierKitStatusEvent>();
  const byTime = [...scans].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  for (const scan of byTime) {
    const event = toEvent(scan, settings);
    if (!events.has(event.id)) events.set(event.id, event);
  }
  return [...events.values()];
}
