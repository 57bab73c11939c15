import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
  readonly inFlight: Gauge;
  readonly waiting: Gauge;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(labels: Readonly<Record<string, string>>, withProcessMetrics = true): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  if (withProcessMetrics) collectDefaultMetrics({ register: registry, prefix: 'tributary_' });

  const counter = (name: string, help: string, labelNames: readonly string[] = []) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  const gauge = (name: string, help: string, labelNames: readonly string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const histogram = (name: string, help: string, labelNames: readonly string[] = [], buckets = LATENCY_BUCKETS) =>
    new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [registry] });

  const attempts = counter('tributary_delivery_attempts_total', 'HTTP attempts to the sink by outcome.', ['event_type', 'outcome']);
  const delivered = counter('tributary_events_delivered_total', 'Events the sink accepted.', ['event_type']);
  const failed = counter('tributary_events_failed_total', 'Events the sink never accepted.', ['event_type', 'reason']);
  const retries = counter('tributary_delivery_retries_total', 'Retries after a retryable failure.', ['event_type']);
  const latency = histogram('tributary_delivery_duration_seconds', 'From first attempt to acceptance.', ['event_type']);

  // Label lookups hash the label set: keep one record of children per event type on the hot path.
  interface TypeChildren {
    readonly delivered: { inc(): void };
    readonly latency: { observe(value: number): void };
    readonly attempts: Map<string, { inc(): void }>;
  }
  const perType = new Map<string, TypeChildren>();
  const childrenOf = (type: string): TypeChildren => {
    let children = perType.get(type);
    if (children === undefined) {
      children = { delivered: delivered.labels(type), latency: latency.labels(type), attempts: new Map() };
      perType.set(type, children);
    }
    return children;
  };

  return {
    registry,
    counter,
    gauge,
    histogram,
    delivery: {
      attempt: (type, outcome) => {
        const { attempts: byOutcome } = childrenOf(type);
        let child = byOutcome.get(outcome);
        if (child === undefined) byOutcome.set(outcome, (child = attempts.labels(type, outcome)));
        child.inc();
      },
      delivered: (type, seconds) => {
        const children = childrenOf(type);
        children.delivered.inc();
        children.latency.observe(seconds);
      },
      failed: (type, reason) => failed.labels(type, reason).inc(),
      retried: (type) => retries.labels(type).inc(),
      inFlight: gauge('tributary_deliveries_in_flight', 'Deliveries currently being attempted.'),
      waiting: gauge('tributary_deliveries_waiting', 'Emits waiting for a free delivery slot (backpressure).'),
    },
  };
}
