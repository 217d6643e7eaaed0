import { Construct } from 'constructs';
import type { IntegrationFunction } from './integration-function.js';
import { QueueWorker, type QueueWorkerProps } from './queue-worker.js';

export interface PlatformWorkerProps extends QueueWorkerProps {
  /** The rights the platform's variables imply (its secrets, its tables), added to the worker's function. */
  grant: (handler: IntegrationFunction) => void;
}

/**
 * A queue worker that calls a platform (DCMS, Card91), in a construct of its own: the worker's
 * resources sit under `<id>/Worker`, which their logical ids carry.
 */
export class PlatformWorker extends Construct {
  readonly worker: QueueWorker;

  constructor(scope: Construct, id: string, props: PlatformWorkerProps) {
    super(scope, id);
    const { grant, ...worker } = props;
    this.worker = new QueueWorker(this, 'Worker', worker);
    grant(this.worker.handler);
  }
}
