import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { card91WorkerEnv } from '../../shared/config/worker-env.js';
import { PlatformWorker } from './platform-worker.js';
import type { QueueWorkerBasics, VariablesOf } from './queue-worker.js';

/** Where Card91 is, who we are there, the keys our sdkAuthTokens are signed with, and how hard to call it. */
export interface Card91Access {
  baseUrl: string;
  orgId: string;
  sdkAuthSecrets: ISecret;
  /** Card91 publishes no rate limit: a fixed ceiling from the stage settings. */
  maxConcurrency: number;
}

/** A queue worker that calls Card91 (shared/worker/card91-runtime.ts): its variables and the rights they imply. */
export class Card91Worker extends PlatformWorker {
  constructor(scope: Construct, id: string, props: QueueWorkerBasics & { card91: Card91Access }) {
    const { card91, ...worker } = props;
    super(scope, id, {
      ...worker,
      maxConcurrency: card91.maxConcurrency,
      environment: {
        CARD91_BASE_URL: card91.baseUrl,
        CARD91_ORG_ID: card91.orgId,
        CARD91_SDK_AUTH_SECRETS_ID: card91.sdkAuthSecrets.secretArn,
      } satisfies VariablesOf<typeof card91WorkerEnv>,
      // Mints the customer's sdkAuthToken for each Card91 login (verified by our card91-auth-webhook).
      grant: (handler) => handler.readSecrets(card91.sdkAuthSecrets),
    });
  }
}
