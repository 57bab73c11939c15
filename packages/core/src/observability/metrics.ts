import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { createSinkMetrics, type SinkMetrics, type SinkScope } from './sink-metrics.ts';

/**
 * Prometheus metrics every adapter exposes on METRICS_PORT. Names follow Prometheus conventions
 * (`_total` counters, `_seconds` histograms); labels stay low-cardinality (event type, outcome).
 */
export interface Metrics {
  readonly registry: Registry;
  readonly delivery: DeliveryMetrics;
  counter(name: string, help: string, labelNames?: readonly string[]): Counter;
  gauge(name: string, help: string, labelNames?: readonly string[]): Gauge;
  histogram(name: string, help: string, labelNames?: readonly string[], buckets?: readonly number[]): Histogram;
}

export interface DeliveryMetrics {
  /** One HTTP attempt finished with this outcome: `2xx`, `4xx`, `5xx`, `network`, `timeout`. */
  attempt(eventType: string, outcome: string): void;
  delivered(eventType: string, seconds: number): void;
  failed(eventType: string, reason: string): void;
  retried(eventType: string): void;
  /** A delivery started or finished being attempted (in-flight gauge). */
  started(): void;
  finished(): void;
  /** An emit began or stopped waiting for a free delivery slot (backpressure gauge). */
  waitStarted(): void;
  waitEnded(): void;
  /** Knative's event counters and the HTTP client histogram for one sink client (see sink-metrics.ts). */
  forSink(target: SinkScope): SinkMetrics;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * `labels` go on every metric: `adapter`, and the source identity `name` / `namespace` (NAME,
 * NAMESPACE) when set. Process metrics keep their standard names (`process_*`, `nodejs_*`), so
 * stock Node.js dashboards work.
 */
export function createMetrics(
  labels: Readonly<Record<string, string | undefined>>,
  withProcessMetrics = true,
  options: { readonly resourceGroup?: string } = {},
): Metrics {
  const registry = new Registry();
  const defined = Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => entry[1] !== undefined));
  registry.setDefaultLabels(defined);
  // The event-loop delay monitor samples on a timer; prom-client's 10 ms default wakes an idle
  // process 100 times a second. 100 ms keeps nodejs_eventloop_lag_* meaningful at a tenth of that.
  if (withProcessMetrics) collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const forSink = createSinkMetrics(registry, {
    name: defined['name'],
    // knative/eventing pkg/adapter/v2 config.go: K_RESOURCE_GROUP defaults to this.
    resourceGroup: options.resourceGroup ?? 'adapter.sources.knative.dev',
  });

  const counter = (name: string, help: string, labelNames: readonly string[] = []) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  const gauge = (name: string, help: string, labelNames: readonly string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const histogram = (name: string, help: string, labelNames: readonly string[] = [], buckets = LATENCY_BUCKETS) =>
    new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [registry] });

  // Delivery counters are plain numbers on the hot path, copied into prom-client at scrape time
  // (`collect`): per event that is a Map lookup and an addition instead of prom-client's label
  // validation and hashing (BENCHMARKS.md, delivery). Only the latency histogram observes per event.
  const attempts = new Map<string, number>();
  const delivered = new Map<string, number>();
  const failed = new Map<string, number>();
  const retries = new Map<string, number>();
  const gauges = { inFlight: 0, waiting: 0 };
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  copyCounter('tributary_delivery_attempts_total', 'HTTP attempts to the sink by outcome.', ['event_type', 'outcome'], attempts);
  copyCounter('tributary_events_delivered_total', 'Events the sink accepted.', ['event_type'], delivered);
  copyCounter('tributary_events_failed_total', 'Events the sink never accepted.', ['event_type', 'reason'], failed);
  copyCounter('tributary_delivery_retries_total', 'Retries after a retryable failure.', ['event_type'], retries);
  for (const [name, help, key] of [
    ['tributary_deliveries_in_flight', 'Deliveries currently being attempted.', 'inFlight'],
    ['tributary_deliveries_waiting', 'Emits waiting for a free delivery slot (backpressure).', 'waiting'],
  ] as const) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(gauges[key]);
      },
    });
  }
  const latency = histogram('tributary_delivery_duration_seconds', 'From first attempt to acceptance.', ['event_type']);
  const latencyByType = new Map<string, { observe(value: number): void }>();

  /** A counter whose values are kept in `values` (label values joined by NUL) and copied at scrape time. */
  function copyCounter(name: string, help: string, labelNames: readonly string[], values: Map<string, number>): void {
    const copied = new Map<string, number>();
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        for (const [key, n] of values) {
          this.labels(...key.split('\u0000')).inc(n - (copied.get(key) ?? 0));
          copied.set(key, n);
        }
      },
    });
  }

  return {
    registry,
    counter,
    gauge,
    histogram,
    delivery: {
      attempt: (type, outcome) => add(attempts, `${type}\u0000${outcome}`),
      delivered: (type, seconds) => {
        add(delivered, type);
        let child = latencyByType.get(type);
        if (child === undefined) latencyByType.set(type, (child = latency.labels(type)));
        child.observe(seconds);
      },
      failed: (type, reason) => add(failed, `${type}\u0000${reason}`),
      retried: (type) => add(retries, type),
      started: () => void gauges.inFlight++,
      finished: () => void gauges.inFlight--,
      waitStarted: () => void gauges.waiting++,
      waitEnded: () => void gauges.waiting--,
      forSink,
    },
  };
}
