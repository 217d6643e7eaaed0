import { QUEUES, type QueueDescription } from '../../../shared/config/resources.js';
import type { Monitoring } from '../../constructs/monitoring.js';
import type { StageWorkers } from './queue-workers.js';
import type { StageWebhooks } from './webhooks.js';

/** The bulk lane's oldest-message threshold: half its retry budget. */
export const bulkBacklogAlarmSeconds = (queue: QueueDescription): number => queue.retry.budgetSeconds / 2;

/** Alarms and dashboard rows for every flow: each queue worker, then the webhook API and each webhook. */
export function watchFlows(monitoring: Monitoring, workers: StageWorkers, webhooks: StageWebhooks): void {
  monitoring.watchWorker(workers.coreBanking, 'dcms');
  // A migration is a backlog by design (a million events take about 3.5 h at 80 req/s): its oldest message pages
  // at half the retry budget, when the load is stuck or far behind, not an hour into every import.
  monitoring.watchWorker(workers.coreBankingBulk, 'dcms', { oldestMessageSeconds: bulkBacklogAlarmSeconds(QUEUES.coreBankingBulk) });
  // Only core banking's records wait on one another (an account on its customer).
  monitoring.watchDependencyWaits(workers.coreBanking);
  monitoring.watchDependencyWaits(workers.coreBankingBulk);
  monitoring.watchWorker(workers.courier, 'dcms');
  monitoring.watchWorker(workers.cardControls, 'card91');

  monitoring.watchApi(webhooks.api);
  monitoring.watchWebhook(webhooks.card91Auth, { metric: 'LoginValidations', by: 'outcome' });
  monitoring.watchWebhook(webhooks.courier, { metric: 'WebhookRequests', by: 'outcome' });
}
