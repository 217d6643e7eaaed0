import { COURIER_KIT_STATUS, courierKitStatusEvent, type DeliveryStatus } from '../../../shared/contracts/index.js';
import type { SendResult } from '../../../shared/tooling/sender.js';

/** The newest courier scan a run fed for one kit: the status DCMS must end up showing. */
export interface NewestScan {
  tenant: string;
  kitNo: string;
  status: DeliveryStatus;
  /** As the courier wrote it. */
  occurredAt: string;
  /** The SQS message that carried it, to find its outcome in the run's books. */
  messageId: string;
  eventId: string;
}

const kitKey = (tenant: string, kitNo: string) => `${tenant}\u0000${kitNo}`;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The courier scans a run queued, whatever fed them (a feed file or the demo), reduced to the
 * newest per kit: newest by `occurredAt` compared as instants (offsets differ between couriers);
 * on a tie the one fed first stays. A scan that fails the contract cannot set a status and is not
 * one; a scan SQS refused was never queued and is not one either.
 */
export class FedCourierScans {
  private readonly newest = new Map<string, NewestScan & { instant: number }>();

  record(results: readonly SendResult[]): void {
    for (const { message, messageId } of results) {
      if (messageId === undefined || message.eventType !== COURIER_KIT_STATUS) continue;
      const parsed = courierKitStatusEvent.safeParse(parseJson(message.body));
      if (!parsed.success) continue;
      const { tenant, id, data } = parsed.data;
      const instant = Date.parse(data.occurredAt);
      const key = kitKey(tenant, data.kitNo);
      const current = this.newest.get(key);
      if (current !== undefined && instant <= current.instant) continue;
      this.newest.set(key, { tenant, kitNo: data.kitNo, status: data.status, occurredAt: data.occurredAt, messageId, eventId: id, instant });
    }
  }

  /** One entry per kit that had a scan, in the order the kits were first seen. */
  newestScans(): NewestScan[] {
    return [...this.newest.values()].map(({ instant: _instant, ...scan }) => scan);
  }
}
