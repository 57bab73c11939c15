import type { CloudEvent } from '../event/cloudevent.ts';

/** W3C Trace Context as it travels: `traceparent` and `tracestate` header values. */
export interface TraceCarrier {
  readonly traceparent?: string | undefined;
  readonly tracestate?: string | undefined;
}

export type SpanAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

export interface SpanOptions {
  /**
   * `server` for a request taken in, `consumer` for a message taken from a queue, `producer` for an
   * event that starts here (a tick, a watched change), else `internal`.
   */
  readonly kind: 'server' | 'consumer' | 'producer' | 'internal';
  /** The caller's context; without one (or when it is malformed) the span starts a new trace. */
  readonly parent?: TraceCarrier | undefined;
  readonly attributes?: SpanAttributes;
  /** When the operation began (epoch ms), if before the call; defaults to now. */
  readonly startTime?: number | undefined;
}

/** The span `inSpan` runs in: attributes known only later (a response status) go here. */
export interface ActiveSpan {
  setAttributes(attributes: SpanAttributes): void;
  /** Marks the span failed (status ERROR, `error.type`). */
  fail(errorType: string): void;
}

/** One HTTP attempt to the sink as a client span, with the header values that carry it. */
export interface AttemptSpan {
  readonly traceparent: string;
  readonly tracestate: string | undefined;
  end(status: number, errorType?: string): void;
}

export interface DeliveryTracer {
  /** Starts the client span of one attempt, as a child of the active span (or a new trace). */
  attempt(event: CloudEvent, sink: URL, attempt: number): AttemptSpan;
}

/**
 * Tracing as core and adapters use it. When no exporter is configured it is `NO_TRACING`: no
 * OpenTelemetry code is loaded, `inSpan` just calls its function, and the sink client sees no
 * `delivery` tracer, so the delivery hot path does no tracing work at all (BENCHMARKS.md, delivery).
 */
export interface Tracing {
  readonly enabled: boolean;
  /** Runs `fn` inside a new span that is active for everything `fn` awaits; ends it when `fn` settles. */
  inSpan<T>(name: string, options: SpanOptions, fn: (span: ActiveSpan) => Promise<T>): Promise<T>;
  /** Undefined when tracing is off. */
  readonly delivery: DeliveryTracer | undefined;
  /** `trace_id` and `span_id` of the active span, for log lines (pino mixin). */
  logFields(): Record<string, string>;
  /** Exports what is buffered and stops; resolves within `timeoutMs` whatever the exporter does. */
  shutdown(timeoutMs: number): Promise<void>;
}

const NO_SPAN: ActiveSpan = { setAttributes() {}, fail() {} };
const NO_FIELDS = Object.freeze({}) as Record<string, string>;

export const NO_TRACING: Tracing = {
  enabled: false,
  inSpan: (_name, _options, fn) => fn(NO_SPAN),
  delivery: undefined,
  logFields: () => NO_FIELDS,
  shutdown: () => Promise.resolve(),
};
