/**
 * Knative's observability settings as its controllers hand them to receive adapters, read the way
 * Knative reads them. Nothing here fails startup: a malformed value is reported as a warning and
 * the defaults (export off) are kept, as knative/eventing's adapter does.
 *
 * - `K_OBSERVABILITY_CONFIG` (Knative ≥ 1.19): JSON of knative/eventing `pkg/observability.Config`,
 *   which embeds knative.dev/pkg `observability.Config`: `{"tracing":{"protocol","endpoint",
 *   "samplingRate"},"metrics":{"protocol","endpoint","exportInterval"},"runtime":{...}}`;
 *   `exportInterval` is a Go duration in nanoseconds. Protocols and rules: knative.dev/pkg
 *   `observability/tracing/config.go` and `observability/metrics/config.go`.
 * - `K_TRACING_CONFIG` (≤ 1.18): JSON of the `config-tracing` ConfigMap data (knative.dev/pkg
 *   `tracing/config/tracing.go`): `backend` (`zipkin`|`none`, or legacy `enable`), `zipkin-endpoint`,
 *   `sample-rate` (default 0.1), `debug`.
 * - `K_METRICS_CONFIG` (≤ 1.18): JSON of knative.dev/pkg `metrics.ExporterOptions`; its
 *   `ConfigMap["metrics.backend-destination"]` is `prometheus`, `opencensus` or `none`.
 */
export type KnativeTracing =
  | { readonly kind: 'otlp'; readonly url: string; readonly samplingRate: number }
  | { readonly kind: 'zipkin'; readonly url: string; readonly samplingRate: number }
  | { readonly kind: 'console'; readonly samplingRate: number }
  | { readonly kind: 'off' };

export interface KnativeMetrics {
  /** OTLP/HTTP push target, when the config asks for one. */
  readonly url?: string | undefined;
  readonly intervalMs?: number | undefined;
}

export interface KnativeObservability {
  readonly tracing: KnativeTracing | undefined;
  readonly metrics: KnativeMetrics | undefined;
}

type Warn = (variable: string, message: string) => void;

export function readKnativeObservability(raw: (name: string) => string | undefined, warn: Warn): KnativeObservability {
  const observability = parseJson(raw('K_OBSERVABILITY_CONFIG'), 'K_OBSERVABILITY_CONFIG', warn);
  const warnObservability = (message: string) => warn('K_OBSERVABILITY_CONFIG', message);
  const metricsOptions = parseJson(raw('K_METRICS_CONFIG'), 'K_METRICS_CONFIG', warn);
  if (asRecord(metricsOptions?.['ConfigMap'])?.['metrics.backend-destination'] === 'opencensus') {
    warn('K_METRICS_CONFIG', 'the opencensus backend is not supported (use OTEL_EXPORTER_OTLP_METRICS_ENDPOINT); Prometheus on METRICS_PORT stays on');
  }
  // The newer variable wins; the older ones count only where it says nothing.
  let tracing = fromObservabilityTracing(observability?.['tracing'], warnObservability);
  if (tracing === undefined) {
    const configMap = parseJson(raw('K_TRACING_CONFIG'), 'K_TRACING_CONFIG', warn);
    if (configMap !== undefined) tracing = fromTracingConfigMap(configMap, (message) => warn('K_TRACING_CONFIG', message));
  }
  return { tracing, metrics: fromObservabilityMetrics(observability?.['metrics'], warnObservability) };
}

function fromObservabilityTracing(value: unknown, warn: (message: string) => void): KnativeTracing | undefined {
  const tracing = asRecord(value);
  if (tracing === undefined) return undefined;
  const protocol = tracing['protocol'] ?? 'none';
  const endpoint = typeof tracing['endpoint'] === 'string' ? tracing['endpoint'] : '';
  const samplingRate = tracing['samplingRate'] ?? 0;
  if (typeof samplingRate !== 'number' || samplingRate < 0 || samplingRate > 1) {
    warn(`tracing.samplingRate must be a number from 0 to 1; tracing stays off`);
    return { kind: 'off' };
  }
  switch (protocol) {
    case 'none':
      return { kind: 'off' };
    case 'stdout':
      return { kind: 'console', samplingRate: 1 };
    case 'http/protobuf':
      if (endpoint === '') break;
      return { kind: 'otlp', url: withScheme(endpoint), samplingRate };
    case 'grpc':
      warn('tracing.protocol grpc is not supported (use http/protobuf); tracing stays off');
      return { kind: 'off' };
  }
  warn(`tracing.protocol ${JSON.stringify(protocol)} needs an endpoint or is not one of none, stdout, http/protobuf; tracing stays off`);
  return { kind: 'off' };
}

function fromObservabilityMetrics(value: unknown, warn: (message: string) => void): KnativeMetrics | undefined {
  const metrics = asRecord(value);
  if (metrics === undefined) return undefined;
  const protocol = metrics['protocol'] ?? 'none';
  const endpoint = typeof metrics['endpoint'] === 'string' ? metrics['endpoint'] : '';
  const interval = metrics['exportInterval'];
  const intervalMs = typeof interval === 'number' && interval > 0 ? Math.max(1, Math.round(interval / 1e6)) : undefined;
  if (protocol === 'http/protobuf' && endpoint !== '') return { url: withScheme(endpoint), intervalMs };
  if (protocol === 'none' || protocol === 'prometheus') return {};
  warn(`metrics.protocol ${JSON.stringify(protocol)} is not supported or lacks an endpoint (use http/protobuf); metrics are not pushed`);
  return {};
}

function fromTracingConfigMap(data: Record<string, unknown>, warn: (message: string) => void): KnativeTracing {
  const backend = data['backend'] ?? (data['enable'] === 'true' ? 'zipkin' : 'none');
  const rateText = data['sample-rate'];
  const samplingRate = rateText === undefined ? 0.1 : Number(rateText);
  if (!Number.isFinite(samplingRate) || samplingRate < 0 || samplingRate > 1) {
    warn(`sample-rate must be from 0 to 1, got ${JSON.stringify(rateText)}; tracing stays off`);
    return { kind: 'off' };
  }
  if (backend === 'none') return { kind: 'off' };
  const endpoint = data['zipkin-endpoint'];
  if (backend === 'zipkin' && typeof endpoint === 'string' && endpoint !== '') {
    return { kind: 'zipkin', url: endpoint, samplingRate: data['debug'] === 'true' ? 1 : samplingRate };
  }
  warn(`backend ${JSON.stringify(backend)} is not zipkin with a zipkin-endpoint, nor none; tracing stays off`);
  return { kind: 'off' };
}

/** knative.dev/pkg prefixes `https://` to an endpoint given without a scheme (`host:4318/v1/traces`). */
function withScheme(endpoint: string): string {
  return /^https?:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
}

function parseJson(text: string | undefined, variable: string, warn: Warn): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value = asRecord(JSON.parse(text));
    if (value !== undefined) return value;
  } catch {
    // reported below
  }
  warn(variable, 'is not a JSON object; its settings are ignored');
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The port the Go adapter's Prometheus server listens on under Knative's config, when it says one:
 * `K_OBSERVABILITY_CONFIG` `metrics.protocol: prometheus` with `endpoint` `host:port` (knative.dev/pkg
 * `observability/metrics/prometheus_enabled.go`; eventing fills in `:9092` when the endpoint is empty,
 * `pkg/observability/config.go`, knative-v1.22.2, which is why ApiServerSource's Deployment declares
 * `metrics` 9092), or `K_METRICS_CONFIG` `PrometheusPort` (≤ 1.18, `metrics.ExporterOptions`). A
 * malformed value says nothing here; the observability setup warns about it.
 */
export function knativePrometheusPort(raw: (name: string) => string | undefined): number | undefined {
  const ignore: Warn = () => {};
  const metrics = asRecord(parseJson(raw('K_OBSERVABILITY_CONFIG'), 'K_OBSERVABILITY_CONFIG', ignore)?.['metrics']);
  if (metrics?.['protocol'] === 'prometheus') {
    const endpoint = typeof metrics['endpoint'] === 'string' ? metrics['endpoint'] : '';
    return validPort(/:(\d+)$/.exec(endpoint)?.[1]);
  }
  const options = parseJson(raw('K_METRICS_CONFIG'), 'K_METRICS_CONFIG', ignore);
  if (asRecord(options?.['ConfigMap'])?.['metrics.backend-destination'] === 'prometheus') {
    return validPort(String(options?.['PrometheusPort'] ?? ''));
  }
  return undefined;
}

function validPort(text: string | undefined): number | undefined {
  const port = Number(text);
  return text !== undefined && /^\d+$/.test(text) && port > 0 && port <= 65535 ? port : undefined;
}
