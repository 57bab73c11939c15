import type { ObservabilityConfig, TraceExport } from '../config/observability-config.ts';
import type { Registry } from 'prom-client';
import { NO_TRACING, type Tracing } from './tracing.ts';

export interface ServiceIdentity {
  readonly adapter: string;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
}

/**
 * Starts tracing when an exporter is configured. The SDK and the one exporter in use are loaded
 * with dynamic imports (separate chunks of the bundle), so tracing that is off costs neither
 * startup time nor memory. `warn` gets exporter failures, at most one a minute.
 */
export async function startTracing(
  traces: ObservabilityConfig['traces'],
  identity: ServiceIdentity,
  warn: (message: string, error?: unknown) => void,
): Promise<Tracing> {
  if (traces === undefined) return NO_TRACING;
  const [{ createOtelTracing }, exporter] = await Promise.all([import('./otel-tracing.ts'), traceExporter(traces.export)]);
  return createOtelTracing({ exporter, sampler: traces.sampler, batch: traces.batch, resource: resourceAttributes(identity), warn });
}

/**
 * Pushes the metrics of `registry` over OTLP when configured (Prometheus pull stays on); the SDK
 * and exporter are loaded only then. Returns what flushes and stops it.
 */
export async function startMetricsExport(
  metrics: ObservabilityConfig['metrics'],
  registry: Registry,
  identity: ServiceIdentity,
): Promise<{ shutdown(timeoutMs: number): Promise<void> }> {
  if (metrics === undefined) return { shutdown: () => Promise.resolve() };
  const [{ startMetricsPush }, { OTLPMetricExporter }] = await Promise.all([
    import('./otel-metrics.ts'),
    metrics.protocol === 'http/json'
      ? import('@opentelemetry/exporter-metrics-otlp-http').then(commonJs)
      : import('@opentelemetry/exporter-metrics-otlp-proto').then(commonJs),
  ]);
  return startMetricsPush({
    registry,
    exporter: new OTLPMetricExporter({ url: metrics.url }),
    intervalMs: metrics.intervalMs,
    resource: resourceAttributes(identity),
  });
}

/** OpenTelemetry resource: `service.name` is the adapter; Kubernetes namespace and source name beside it. */
export function resourceAttributes(identity: ServiceIdentity): Record<string, string> {
  const attributes: Record<string, string> = { 'service.name': `tributary-${identity.adapter}` };
  if (identity.namespace !== undefined) attributes['k8s.namespace.name'] = identity.namespace;
  // Knative names its sources' attributes k8s.<resource>.name (knative/eventing pkg/observability).
  if (identity.name !== undefined) attributes['k8s.source.name'] = identity.name;
  return attributes;
}

async function traceExporter(target: TraceExport) {
  switch (target.kind) {
    case 'otlp':
      if (target.protocol === 'http/json') {
        const { OTLPTraceExporter } = commonJs(await import('@opentelemetry/exporter-trace-otlp-http'));
        return new OTLPTraceExporter({ url: target.url });
      } else {
        const { OTLPTraceExporter } = commonJs(await import('@opentelemetry/exporter-trace-otlp-proto'));
        return new OTLPTraceExporter({ url: target.url });
      }
    case 'zipkin': {
      const { ZipkinExporter } = commonJs(await import('@opentelemetry/exporter-zipkin'));
      return new ZipkinExporter({ url: target.url });
    }
    case 'console': {
      const { ConsoleSpanExporter } = commonJs(await import('@opentelemetry/sdk-trace'));
      return new ConsoleSpanExporter();
    }
  }
}

/**
 * These packages are CommonJS: imported dynamically from a bundle, their exports sit on `default`
 * (esbuild's chunk interop); from source, on the namespace itself.
 */
export function commonJs<T extends object>(namespace: T): T {
  return (namespace as { default?: T }).default ?? namespace;
}
