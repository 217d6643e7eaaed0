import { Metrics, type MetricUnit } from '@aws-lambda-powertools/metrics';

type MetricsOptions = NonNullable<ConstructorParameters<typeof Metrics>[0]>;
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * Powertools Metrics plus metrics under dimension sets of their own (an outcome, an endpoint),
 * buffered for the invocation and published with it: one EMF document per dimension set and
 * invocation, holding every metric of that set, where `singleMetric()` writes one document per
 * metric per call. A batch of ten records that all succeed is then one `EventsProcessed` line,
 * not ten, and a DCMS call's count and latency share their dimensions (a single metric is flushed,
 * dimensions and all, by its first `addMetric`: a second metric on it went out without them).
 *
 * A dimension set keeps its Metrics instance for the life of the function instance; the sets are
 * few (outcome × event type, endpoint × outcome).
 */
export class SetMetrics extends Metrics {
  private readonly sets = new Map<string, Metrics>();

  constructor(private readonly options: MetricsOptions = {}) {
    super(options);
  }

  /** Adds one value under these dimensions (besides the service); published with the invocation's metrics. */
  addToSet(dimensions: Record<string, string>, name: string, unit: Unit, value: number): void {
    const key = JSON.stringify(dimensions);
    let set = this.sets.get(key);
    if (!set) {
      set = new Metrics({ namespace: this.options.namespace, serviceName: this.options.serviceName, logger: this.options.logger, defaultDimensions: dimensions });
      this.sets.set(key, set);
    }
    set.addMetric(name, unit, value);
  }

  override hasStoredMetrics(): boolean {
    return super.hasStoredMetrics() || [...this.sets.values()].some((set) => set.hasStoredMetrics());
  }

  override publishStoredMetrics(): this {
    if (super.hasStoredMetrics()) super.publishStoredMetrics();
    for (const set of this.sets.values()) if (set.hasStoredMetrics()) set.publishStoredMetrics();
    return this;
  }
}
