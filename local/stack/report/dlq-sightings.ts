import { QUEUES, queueName, type QueueKey } from '../../../shared/config/resources.js';
import { failureOf, type DeadLetterReader } from '../../../shared/tooling/dlq-messages.js';
import type { DeadLetterSighting } from './accounting.js';
import { LOCAL_PREFIX } from '../../../shared/tooling/stack-settings.js';
import type { LocalResources } from '../../emulators.js';

/**
 * Every message in the consumed queues' DLQs, by the id it had on its source queue
 * (`original.messageId`, or its own id when the redrive policy moved it: SQS keeps the id).
 */
export async function dlqSightings(reader: DeadLetterReader, resources: LocalResources, queues: readonly QueueKey[]): Promise<Map<string, DeadLetterSighting>> {
  const sightings = new Map<string, DeadLetterSighting>();
  for (const queue of queues) {
    const { messages } = await reader.list(queueName(LOCAL_PREFIX, QUEUES[queue], true), resources.queues[queue].dlqUrl);
    for (const message of messages) {
      const failure = failureOf(message);
      sightings.set(failure.originalMessageId, {
        dlqMessageId: message.messageId,
        ...(failure.category !== undefined && { category: failure.category }),
        ...(failure.code !== undefined && { code: failure.code }),
        ...(failure.reason !== undefined && { reason: failure.reason }),
      });
    }
  }
  return sightings;
}
