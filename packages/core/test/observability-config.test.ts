import { describe, expect, it } from 'vitest';
import { Env, readObservabilityConfig } from '../src/index.ts';

const read = (vars: Record<string, string>) => readObservabilityConfig(new Env(vars));

describe('observability config', () => {
  it('is off with nothing configured', () => {
    expect(read({})).toEqual({ resourceGroup: 'adapter.sources.knative.dev', traces: undefined, metrics: undefined, warnings: [] });
  });

  it('follows the OTEL_* variables: endpoint per signal, protocol, sampler', () => {
    const config = read({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
    });
    expect(config.traces).toEqual({
      export: { kind: 'otlp', url: 'http://collector:4318/v1/traces', protocol: 'http/json' },
      sampler: { kind: 'parentbased_traceidratio', ratio: 0.25 },
      batch: {},
    });
    expect(config.metrics).toEqual({ url: 'http://collector:4318/v1/metrics', protocol: 'http/protobuf', intervalMs: 5000 });
  });

  it('reads the batch span processor variables (OTEL_BSP_*); a bad one is a warning and keeps the default', () => {
    const config = read({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      OTEL_BSP_MAX_QUEUE_SIZE: '4096',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 'many',
    });
    expect(config.traces?.batch).toEqual({ scheduledDelayMillis: 600_000, maxQueueSize: 4096 });
    expect(config.warnings).toEqual(['OTEL_BSP_MAX_EXPORT_BATCH_SIZE: must be a positive integer, got "many"']);
  });

  it("reads K_OBSERVABILITY_CONFIG as knative.dev/pkg's observability.Config JSON; OTEL_* endpoints win", () => {
    const knative = JSON.stringify({
      tracing: { protocol: 'http/protobuf', endpoint: 'otel.observability:4318/v1/traces', samplingRate: 0.5 },
      metrics: { protocol: 'http/protobuf', endpoint: 'http://otel.observability:4318/v1/metrics', exportInterval: 30_000_000_000 },
    });
    const config = read({ K_OBSERVABILITY_CONFIG: knative });
    // knative.dev/pkg adds https:// to an endpoint without a scheme; a rate below 1 is parent-based.
    expect(config.traces?.export).toEqual({ kind: 'otlp', url: 'https://otel.observability:4318/v1/traces', protocol: 'http/protobuf' });
    expect(config.traces?.sampler).toEqual({ kind: 'parentbased_traceidratio', ratio: 0.5 });
    expect(config.metrics).toEqual({ url: 'http://otel.observability:4318/v1/metrics', protocol: 'http/protobuf', intervalMs: 30_000 });
    expect(read({ K_OBSERVABILITY_CONFIG: knative, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://mine/v1/traces' }).traces?.export).toMatchObject({ url: 'http://mine/v1/traces' });
  });

  it('reads K_TRACING_CONFIG (config-tracing ≤ 1.18): zipkin backend, none, legacy enable', () => {
    const zipkin = read({ K_TRACING_CONFIG: JSON.stringify({ backend: 'zipkin', 'zipkin-endpoint': 'http://zipkin:9411/api/v2/spans', 'sample-rate': '0.1' }) });
    expect(zipkin.traces).toEqual({ export: { kind: 'zipkin', url: 'http://zipkin:9411/api/v2/spans' }, sampler: { kind: 'parentbased_traceidratio', ratio: 0.1 }, batch: {} });
    expect(read({ K_TRACING_CONFIG: JSON.stringify({ backend: 'none' }) }).traces).toBeUndefined();
    expect(read({ K_TRACING_CONFIG: JSON.stringify({ enable: 'true', 'zipkin-endpoint': 'http://z/' }) }).traces?.export.kind).toBe('zipkin');
  });

  it('keeps the defaults and warns once per malformed value, never failing', () => {
    const env = new Env({
      K_OBSERVABILITY_CONFIG: 'not json',
      K_TRACING_CONFIG: JSON.stringify({ backend: 'jaeger' }),
      K_METRICS_CONFIG: JSON.stringify({ ConfigMap: { 'metrics.backend-destination': 'opencensus' } }),
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'ftp://x',
    });
    const config = readObservabilityConfig(env);
    expect(config.traces).toBeUndefined();
    expect(config.metrics).toBeUndefined();
    expect(config.warnings).toHaveLength(4);
    expect(config.warnings.join('\n')).toMatch(/K_OBSERVABILITY_CONFIG: is not a JSON object[\s\S]*K_TRACING_CONFIG: backend "jaeger"/);
    expect(env.problems).toEqual([]);
  });

  it('OTEL_SDK_DISABLED turns everything off', () => {
    expect(read({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).traces).toBeUndefined();
  });
});
