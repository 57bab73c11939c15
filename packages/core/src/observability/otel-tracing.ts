// Loaded with a dynamic import only when a trace exporter is configured (observability/setup.ts),
// so an adapter without tracing neither loads nor parses the OpenTelemetry SDK.
import { context, diag, DiagLogLevel, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type TextMapGetter } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import type { BatchConfig, SamplerConfig } from '../config/observability-config.ts';
import type { ActiveSpan, SpanAttributes, TraceCarrier, Tracing } from './tracing.ts';

const KINDS = { server: SpanKind.SERVER, consumer: SpanKind.CONSUMER, producer: SpanKind.PRODUCER, internal: SpanKind.INTERNAL } as const;
const carrierGetter: TextMapGetter<TraceCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => (key === 'traceparent' ? carrier.traceparent : key === 'tracestate' ? carrier.tracestate : undefined),
};

export interface OtelTracingOptions {
  readonly exporter: SpanExporter;
  readonly sampler: SamplerConfig;
  readonly batch?: BatchConfig | undefined;
  readonly resource: Readonly<Record<string, string>>;
  /** Export failures and SDK warnings; called at most once a minute. */
  readonly warn: (message: string) => void;
}

export function createOtelTracing(options: OtelTracingOptions): Tracing {
  // A collector that is down must not flood the logs: one line a minute says so.
  let lastWarning = 0;
  const warn = (message: string, ...args: unknown[]) => {
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    options.warn([message, ...args.map((arg) => (arg instanceof Error ? arg.message : String(arg)))].join(' '));
  };
  const silent = () => {};
  diag.setLogger({ error: warn, warn, info: silent, debug: silent, verbose: silent }, DiagLogLevel.WARN);
  const provider = new TracerProvider({
    resource: resourceFromAttributes(options.resource),
    sampler: sampler(options.sampler),
    spanProcessors: [new BatchSpanProcessor({ exporter: options.exporter, ...options.batch })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const propagator = new W3CTraceContextPropagator();
  propagation.setGlobalPropagator(propagator);
  const tracer = provider.getTracer('tributary');

  const active = (span: Span): ActiveSpan => ({
    setAttributes: (attributes) => span.setAttributes(defined(attributes)),
    fail: (errorType) => {
      span.setAttribute('error.type', errorType);
      span.setStatus({ code: SpanStatusCode.ERROR });
    },
  });

  return {
    enabled: true,
    async inSpan(name, spanOptions, fn) {
      const parent = spanOptions.parent?.traceparent ? propagator.extract(ROOT_CONTEXT, spanOptions.parent, carrierGetter) : ROOT_CONTEXT;
      const attributes = spanOptions.attributes && defined(spanOptions.attributes);
      const span = tracer.startSpan(
        name,
        { kind: KINDS[spanOptions.kind], ...(attributes ? { attributes } : {}), ...(spanOptions.startTime ? { startTime: spanOptions.startTime } : {}) },
        parent,
      );
      try {
        return await context.with(trace.setSpan(parent, span), () => fn(active(span)));
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
    delivery: {
      attempt(event, sink, attempt) {
        // HTTP client semantic conventions (span name = method) plus the CloudEvents ones.
        const span = tracer.startSpan('POST', {
          kind: SpanKind.CLIENT,
          attributes: {
            'http.request.method': 'POST',
            'url.full': sink.href,
            'server.address': sink.hostname,
            'server.port': Number(sink.port || (sink.protocol === 'https:' ? 443 : 80)),
            ...(attempt > 1 ? { 'http.request.resend_count': attempt - 1 } : {}),
            'cloudevents.event_id': event.id,
            'cloudevents.event_type': event.type,
            'cloudevents.event_source': event.source,
            'cloudevents.event_spec_version': '1.0',
            ...(event.subject === undefined ? {} : { 'cloudevents.event_subject': event.subject }),
          },
        });
        const spanContext = span.spanContext();
        return {
          traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-0${spanContext.traceFlags & 1}`,
          tracestate: spanContext.traceState?.serialize() || undefined,
          end(status, errorType) {
            if (status > 0) span.setAttribute('http.response.status_code', status);
            const failed = errorType ?? (status >= 400 ? String(status) : undefined);
            if (failed !== undefined) {
              span.setAttribute('error.type', failed);
              span.setStatus({ code: SpanStatusCode.ERROR });
            }
            span.end();
          },
        };
      },
    },
    logFields(): Record<string, string> {
      const span = trace.getSpan(context.active());
      if (span === undefined) return {};
      const { traceId, spanId, traceFlags } = span.spanContext();
      return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags & 1}` };
    },
    async shutdown(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([provider.shutdown().catch(() => {}), timeout]);
      clearTimeout(timer);
      context.disable();
      propagation.disable();
      diag.disable();
    },
  };
}

function sampler(config: SamplerConfig): Sampler {
  switch (config.kind) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(config.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.ratio) });
  }
}

function defined(attributes: SpanAttributes): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
