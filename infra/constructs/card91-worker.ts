import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { card91WorkerEnv } from '../../shared/config/worker-env.js';
import type { FunctionSettings } from './integration-function.js';
import { QueueWorker, type VariablesOf, type WorkerCommon } from './queue-worker.js';
import type { WorkerQueue } from './worker-queue.js';

/** Where Card91 is, who we are there, the keys our sdkAuthTokens are signed with, and how hard to call it. */
export interface Card91Access {
  baseUrl: string;
  orgId: string;
  sdkAuthSecrets: ISecret;
  /** Card91 publishes no rate limit: a fixed ceiling from the stage settings. */
  maxConcurrency: number;
}

export interface Card91WorkerProps {
  service: string;
  functions: FunctionSettings;
  queue: WorkerQueue;
  common: WorkerCommon;
  card91: Card91Access;
}

/** A queue worker that calls Card91 (shared/worker/card91-runtime.ts): its variables and the rights they imply. */
export class Card91Worker extends Construct {
  readonly worker: QueueWorker;

  constructor(scope: Construct, id: string, props: Card91WorkerProps) {
    super(scope, id);
    const { card91 } = props;
    const environment = {
      CARD91_BASE_URL: card91.baseUrl,
      CARD91_ORG_ID: card91.orgId,
      CARD91_SDK_AUTH_SECRETS_ID: card91.sdkAuthSecrets.secretArn,
    } satisfies VariablesOf<typeof card91WorkerEnv>;

    this.worker = new QueueWorker(this, 'Worker', {
      service: props.service,
      functions: props.functions,
      queue: props.queue,
      common: props.common,
      maxConcurrency: card91.maxConcurrency,
      environment,
    });
    // Mints the customer's sdkAuthToken for each Card91 login (verified by our card91-auth-webhook).
    this.worker.handler.readSecrets(card91.sdkAuthSecrets);
  }
}
