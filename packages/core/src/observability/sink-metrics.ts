import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * The delivery metrics Knative operators already chart, under Knative's own names and labels:
 *
 * - `event_count` and `retry_event_count`, as knative/eventing's source stats reporter defines them
 *   (`pkg/metrics/source/stats_reporter.go` at knative-v1.18.4; label names from
 *   knative.dev/pkg `metrics/metricskey`): one `event_count` per event with its final answer, one
 *   `retry_event_count` per attempt that was retried. `response_code` 0 with `response_error`
 *   means no HTTP answer (Knative puts the error text there; we put its kind, to keep cardinality low).
 * - `http_client_request_duration_seconds`: the OpenTelemetry HTTP client instrument
 *   (`http.client.request.duration`, semconv) that knative/eventing ≥ 1.19 records for each attempt
 *   through otelhttp, in its Prometheus form.
 *
 * Counts are plain numbers in nested maps on the hot path (no key strings built per event) and are
 * copied into prom-client at scrape time.
 */
export interface SinkMetrics {
  /** One HTTP attempt ended: `status` 0 and `error` set when there was no HTTP answer. */
  attempt(status: number, error: AttemptError | undefined, seconds: number): void;
  /** The event's final answer (Knative `event_count`). */
  event(type: string, source: string, status: number, error?: AttemptError): void;
  /** An attempt that will be retried (Knative `retry_event_count`). */
  retry(type: string, source: string, status: number, error?: AttemptError): void;
}

export type AttemptError = 'network' | 'timeout';

export interface SinkScope {
  readonly sink: URL;
  /** Knative's `namespace_name`: the target's namespace (Kn-Namespace). */
  readonly namespace?: string | undefined;
}

const EVENT_LABELS = [
  'event_type',
  'event_source',
  'event_scheme',
  'name',
  'namespace_name',
  'resource_group',
  'response_code',
  'response_code_class',
  'response_error',
  'response_timeout',
] as const;
const HTTP_LABELS = ['http_request_method', 'http_response_status_code', 'server_address', 'server_port', 'url_scheme', 'error_type'] as const;
// otelhttp's default boundaries for http.client.request.duration (semconv), in seconds.
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const NO_ANSWER = { network: -1, timeout: -2 } as const;

/** type → source → status (negative: no answer) → count */
type Counts = Map<string, Map<string, Map<number, number>>>;

interface Scope {
  readonly labels: Record<string, string>;
  readonly events: Counts;
  readonly retries: Counts;
}

export function createSinkMetrics(registry: Registry, identity: { name: string | undefined; resourceGroup: string }) {
  const scopes: Scope[] = [];
  const copied = new WeakMap<object, Map<string, number>>();
  const copy = (counter: Counter, pick: (scope: Scope) => Counts) => {
    for (const scope of scopes) {
      const seen = copied.get(pick(scope)) ?? new Map<string, number>();
      copied.set(pick(scope), seen);
      for (const [type, bySource] of pick(scope)) {
        for (const [source, byStatus] of bySource) {
          for (const [status, n] of byStatus) {
            const key = `${type}\u0000${source}\u0000${status}`;
            counter.inc({ ...scope.labels, ...eventLabels(type, source, status) }, n - (seen.get(key) ?? 0));
            seen.set(key, n);
          }
        }
      }
    }
  };
  new Counter({
    name: 'event_count',
    help: 'Number of events sent',
    labelNames: EVENT_LABELS,
    registers: [registry],
    collect() {
      copy(this, (scope) => scope.events);
    },
  });
  new Counter({
    name: 'retry_event_count',
    help: 'Number of retry events sent',
    labelNames: EVENT_LABELS,
    registers: [registry],
    collect() {
      copy(this, (scope) => scope.retries);
    },
  });
  const duration = new Histogram({
    name: 'http_client_request_duration_seconds',
    help: 'Duration of HTTP client requests to the sink (OpenTelemetry http.client.request.duration).',
    labelNames: HTTP_LABELS,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });

  return (target: SinkScope): SinkMetrics => {
    const scheme = target.sink.protocol.replace(':', '');
    const scope: Scope = {
      labels: {
        event_scheme: scheme,
        // Knative's MetricTag defaults when the source did not name itself.
        name: identity.name ?? 'unknown',
        namespace_name: target.namespace ?? 'unknown',
        resource_group: identity.resourceGroup,
      },
      events: new Map(),
      retries: new Map(),
    };
    scopes.push(scope);
    const port = target.sink.port || (scheme === 'https' ? '443' : '80');
    const server = { http_request_method: 'POST', server_address: target.sink.hostname, server_port: port, url_scheme: scheme };
    const byStatus = new Map<number, { observe(value: number): void }>();
    return {
      attempt(status, error, seconds) {
        const key = error === undefined ? status : NO_ANSWER[error];
        let child = byStatus.get(key);
        if (child === undefined) {
          const labels = error === undefined ? { ...server, http_response_status_code: String(status) } : { ...server, error_type: error };
          if (status >= 400) Object.assign(labels, { error_type: String(status) });
          byStatus.set(key, (child = duration.labels(labels)));
        }
        child.observe(seconds);
      },
      event: (type, source, status, error) => add(scope.events, type, source, error === undefined ? status : NO_ANSWER[error]),
      retry: (type, source, status, error) => add(scope.retries, type, source, error === undefined ? status : NO_ANSWER[error]),
    };
  };
}

function add(counts: Counts, type: string, source: string, status: number): void {
  let bySource = counts.get(type);
  if (bySource === undefined) counts.set(type, (bySource = new Map()));
  let byStatus = bySource.get(source);
  if (byStatus === undefined) bySource.set(source, (byStatus = new Map()));
  byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
}

function eventLabels(type: string, source: string, status: number): Record<string, string> {
  const labels: Record<string, string> = { event_type: type, event_source: source };
  if (status > 0) {
    labels['response_code'] = String(status);
    labels['response_code_class'] = `${Math.floor(status / 100)}xx`;
  } else {
    labels['response_error'] = status === NO_ANSWER.timeout ? 'timeout' : 'network';
    labels['response_timeout'] = String(status === NO_ANSWER.timeout);
  }
  return labels;
}
