import { createHash } from 'node:crypto';
import { COURIER_KIT_STATUS, courierKitStatusEvent, type CourierKitStatusEvent, type DeliveryStatus } from '../../../shared/contracts/index.js';
import type { CourierFormat, CourierSettings } from '../couriers.js';
import { bluedartFormat } from './bluedart.js';
import { genericFormat } from './generic.js';
import type { CourierScan, FieldIssue, NativeFormat } from './types.js';

export type { FieldIssue } from './types.js';

const FORMATS: Record<CourierFormat, NativeFormat> = { generic: genericFormat, bluedart: bluedartFormat };

export type MappingResult =
  | { kind: 'events'; events: CourierKitStatusEvent[] }
  | { kind: 'invalid'; issues: FieldIssue[] }
  /** Codes with no mapping: the request is refused whole, never guessed at. */
  | { kind: 'unknownCodes'; codes: string[] };

/** Namespace of our event ids (UUID v5). Never change it: every id would change with it. */
const EVENT_ID_NAMESPACE = Buffer.from('6f1c3b0e9a4d4c2a8e5b7d3f1a2c4e6b', 'hex');

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
export const eventId = (courier: string, scan: CourierScan, status: DeliveryStatus): string =>
  uuidV5([courier, scan.awb ?? '', scan.kitNo, status, new Date(scan.occurredAt).toISOString()].join('\n'));

function resolveStatus(scan: CourierScan, format: NativeFormat, settings: CourierSettings): DeliveryStatus | undefined {
  for (const key of scan.lookup) {
    const status = settings.statusCodes[key] ?? format.statusCodes[key];
    if (status) return status;
  }
  return undefined;
}

function toEvent(scan: CourierScan, status: DeliveryStatus, settings: CourierSettings): CourierKitStatusEvent {
  // Parsed against the contract the worker applies, so a mapping bug fails here, not downstream.
  return courierKitStatusEvent.parse({
    specversion: '1.0',
    id: eventId(settings.courier, scan, status),
    source: `urn:courier:${settings.courier}`,
    type: COURIER_KIT_STATUS,
    time: scan.occurredAt,
    tenant: settings.tenant,
    datacontenttype: 'application/json',
    subject: scan.kitNo,
    data: {
      kitNo: scan.kitNo,
      status,
      occurredAt: scan.occurredAt,
      awb: scan.awb,
      courier: settings.courier,
      location: scan.location,
      remarks: scan.remarks,
    },
  });
}

/**
 * A courier's native body as `courier.kit.status.v1` events for its tenant (from configuration,
 * never from the payload). All or nothing: one bad field or one unmapped code refuses the request.
 */
export function mapCourierPayload(json: unknown, settings: CourierSettings, maxEvents: number): MappingResult {
  const format = FORMATS[settings.format];
  const parsed = format.parse(json, { utcOffset: settings.utcOffset });
  if (!parsed.ok) return { kind: 'invalid', issues: parsed.issues };
  if (parsed.scans.length > maxEvents) {
    return { kind: 'invalid', issues: [{ path: '(root)', message: `too many events: at most ${maxEvents} per request, this one has ${parsed.scans.length}` }] };
  }
  const unknown = new Set<string>();
  const events = new Map<string, CourierKitStatusEvent>();
  for (const scan of parsed.scans) {
    const status = resolveStatus(scan, format, settings);
    if (!status) {
      unknown.add(scan.code);
      continue;
    }
    const event = toEvent(scan, status, settings);
    // Two scans of one fact (e.g. two in-transit codes in the same minute) are one event.
    if (!events.has(event.id)) events.set(event.id, event);
  }
  return unknown.size > 0 ? { kind: 'unknownCodes', codes: [...unknown] } : { kind: 'events', events: [...events.values()] };
}
