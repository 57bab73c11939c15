import type { Env } from './env.ts';
import { readKnativeObservability, type KnativeTracing } from './knative-observability.ts';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export type TraceExport =
  | { readonly kind: 'otlp'; readonly url: string; readonly protocol: OtlpProtocol }
  | { readonly kind: 'zipkin'; readonly url: string }
  | { readonly kind: 'console' };

export type SamplerConfig =
  | { readonly kind: 'always_on' | 'always_off' | 'parentbased_always_on' | 'parentbased_always_off' }
  | { readonly kind: 'traceidratio' | 'parentbased_traceidratio'; readonly ratio: number };

/** What core's metrics and traces are configured with (OTEL_*, Knative's K_*_CONFIG). */
export interface ObservabilityConfig {
  /** Knative's `resource_group` metric label (knative/eventing pkg/adapter/v2 config.go, K_RESOURCE_GROUP). */
  readonly resourceGroup: string;
  /** Undefined: tracing is off and costs nothing. */
  readonly traces: { readonly export: TraceExport; readonly sampler: SamplerConfig; readonly batch: BatchConfig } | undefined;
  /** OTLP push of the metrics also served on METRICS_PORT; undefined when not configured. */
  readonly metrics: { readonly url: string; readonly protocol: OtlpProtocol; readonly intervalMs: number } | undefined;
  /** Problems with these settings: logged once at startup; they never stop the adapter. */
  readonly warnings: readonly string[];
}

/** The batch span processor's settings (OTEL_BSP_*); what is unset keeps the SDK's default. */
export interface BatchConfig {
  readonly scheduledDelayMillis?: number;
  readonly exportTimeoutMillis?: number;
  readonly maxQueueSize?: number;
  readonly maxExportBatchSize?: number;
}

const BATCH_VARIABLES = {
  scheduledDelayMillis: 'OTEL_BSP_SCHEDULE_DELAY',
  exportTimeoutMillis: 'OTEL_BSP_EXPORT_TIMEOUT',
  maxQueueSize: 'OTEL_BSP_MAX_QUEUE_SIZE',
  maxExportBatchSize: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
} as const;

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

/**
 * The OpenTelemetry SDK environment variables (opentelemetry.io/docs/specs/otel/configuration/
 * sdk-environment-variables and exporter.md) win over Knative's config, as knative.dev/pkg lets
 * `OTEL_EXPORTER_OTLP_*ENDPOINT` and `OTEL_TRACES_SAMPLER*` override its ConfigMap. Unlike the SDK
 * default, nothing is exported unless an endpoint or exporter is configured.
 */
export function readObservabilityConfig(env: Env): ObservabilityConfig {
  const warnings: string[] = [];
  const warn = (variable: string, message: string) => warnings.push(`${variable}: ${message}`);
  const raw = (name: string) => env.raw(name)?.trim() || undefined;
  const resourceGroup = env.string('K_RESOURCE_GROUP', { default: 'adapter.sources.knative.dev' });
  if (raw('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return { resourceGroup, traces: undefined, metrics: undefined, warnings };
  const knative = readKnativeObservability(raw, warn);

  const protocolFor = (signal: 'TRACES' | 'METRICS'): OtlpProtocol | undefined => {
    const name = raw(`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`) ? `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL` : 'OTEL_EXPORTER_OTLP_PROTOCOL';
    const value = raw(name) ?? 'http/protobuf';
    if (value === 'http/protobuf' || value === 'http/json') return value;
    warn(name, `${JSON.stringify(value)} is not supported (http/protobuf or http/json); ${signal.toLowerCase()} are not exported`);
    return undefined;
  };
  const otlpUrl = (signal: 'TRACES' | 'METRICS'): string | undefined => {
    const specific = raw(`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`);
    if (specific !== undefined) return checkedUrl(`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`, specific, warn);
    const base = raw('OTEL_EXPORTER_OTLP_ENDPOINT');
    if (base === undefined) return undefined;
    const url = checkedUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base, warn);
    return url && `${url.replace(/\/$/, '')}/v1/${signal.toLowerCase()}`;
  };

  // Traces
  let traceExport: TraceExport | undefined;
  let knativeRate: number | undefined;
  const exporterName = raw('OTEL_TRACES_EXPORTER')?.split(',')[0]?.trim().toLowerCase();
  const tracesUrl = otlpUrl('TRACES');
  if (exporterName === 'none') traceExport = undefined;
  else if (exporterName === 'zipkin') {
    const url = checkedUrl('OTEL_EXPORTER_ZIPKIN_ENDPOINT', raw('OTEL_EXPORTER_ZIPKIN_ENDPOINT') ?? 'http://localhost:9411/api/v2/spans', warn);
    traceExport = url === undefined ? undefined : { kind: 'zipkin', url };
  } else if (exporterName === 'console') traceExport = { kind: 'console' };
  else if (exporterName === 'otlp' || tracesUrl !== undefined) {
    const protocol = protocolFor('TRACES');
    traceExport = protocol && { kind: 'otlp', url: tracesUrl ?? 'http://localhost:4318/v1/traces', protocol };
  } else if (exporterName !== undefined) warn('OTEL_TRACES_EXPORTER', `${JSON.stringify(exporterName)} is not otlp, zipkin, console or none`);
  else if (knative.tracing !== undefined && knative.tracing.kind !== 'off') {
    traceExport = fromKnative(knative.tracing);
    knativeRate = knative.tracing.samplingRate;
  }
  const traces = traceExport && { export: traceExport, sampler: readSampler(raw, warn, knativeRate), batch: readBatch(raw, warn) };

  // Metrics push (Prometheus pull on METRICS_PORT is always on)
  const metricsExporter = raw('OTEL_METRICS_EXPORTER')?.toLowerCase();
  const metricsUrl = otlpUrl('METRICS') ?? knative.metrics?.url;
  let metrics: ObservabilityConfig['metrics'];
  if (metricsExporter !== 'none' && metricsUrl !== undefined) {
    const protocol = otlpUrl('METRICS') === undefined ? 'http/protobuf' : protocolFor('METRICS');
    const interval = env.int('OTEL_METRIC_EXPORT_INTERVAL', { min: 1 }) ?? knative.metrics?.intervalMs ?? 60_000;
    metrics = protocol && { url: metricsUrl, protocol, intervalMs: interval };
  }
  return { resourceGroup, traces, metrics, warnings };
}

/**
 * OTEL_BSP_* (the SDK environment variables' batch span processor section): the SDK package we use
 * no longer reads them itself, so they are read here. A value that is not a positive integer is
 * warned about and the default kept.
 */
function readBatch(raw: (name: string) => string | undefined, warn: (variable: string, message: string) => void): BatchConfig {
  const batch: Record<string, number> = {};
  for (const [key, variable] of Object.entries(BATCH_VARIABLES)) {
    const text = raw(variable);
    if (text === undefined) continue;
    const value = Number(text);
    if (Number.isSafeInteger(value) && value > 0) batch[key] = value;
    else warn(variable, `must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return batch;
}

function fromKnative(tracing: Exclude<KnativeTracing, { kind: 'off' }>): TraceExport {
  if (tracing.kind === 'console') return { kind: 'console' };
  return tracing.kind === 'zipkin' ? { kind: 'zipkin', url: tracing.url } : { kind: 'otlp', url: tracing.url, protocol: 'http/protobuf' };
}

/**
 * OTEL_TRACES_SAMPLER / _ARG; else Knative's rate as knative.dev/pkg `sampleFor` turns it into a
 * sampler (≥ 1 always, ≤ 0 never, else parent-based ratio); else the SDK default, parent-based always-on.
 */
function readSampler(raw: (name: string) => string | undefined, warn: (variable: string, message: string) => void, knativeRate: number | undefined): SamplerConfig {
  const name = raw('OTEL_TRACES_SAMPLER')?.toLowerCase();
  const argText = raw('OTEL_TRACES_SAMPLER_ARG');
  const arg = argText === undefined ? undefined : Number(argText);
  if (arg !== undefined && !(Number.isFinite(arg) && arg >= 0 && arg <= 1)) warn('OTEL_TRACES_SAMPLER_ARG', `must be a number from 0 to 1, got ${JSON.stringify(argText)}`);
  const ratio = arg !== undefined && Number.isFinite(arg) && arg >= 0 && arg <= 1 ? arg : undefined;
  if (name !== undefined) {
    if (name === 'traceidratio' || name === 'parentbased_traceidratio') return { kind: name, ratio: ratio ?? 1 };
    if (SAMPLERS.includes(name)) return { kind: name as 'always_on' };
    warn('OTEL_TRACES_SAMPLER', `${JSON.stringify(name)} is not one of ${SAMPLERS.join(', ')}; using parentbased_always_on`);
    return { kind: 'parentbased_always_on' };
  }
  if (knativeRate === undefined) return { kind: 'parentbased_always_on' };
  const rate = ratio ?? knativeRate;
  if (rate >= 1) return { kind: 'always_on' };
  if (rate <= 0) return { kind: 'always_off' };
  return { kind: 'parentbased_traceidratio', ratio: rate };
}

function checkedUrl(variable: string, value: string, warn: (variable: string, message: string) => void): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  warn(variable, `must be an http(s) URL, got ${JSON.stringify(value)}`);
  return undefined;
}
