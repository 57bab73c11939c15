import type { IncomingHttpHeaders } from 'node:http';
import type { CloudEvent } from '../event/cloudevent.ts';
import type { SpanAttributes, TraceCarrier, Tracing } from './tracing.ts';

type Emit = (event: CloudEvent) => Promise<void>;

/**
 * For sources whose events begin here (ping ticks, watched API changes, heartbeats): every event
 * gets a trace of its own, a producer span named `send <adapter>` around its delivery, so each
 * attempt's client span and the `traceparent` the sink receives hang under it. Tracing off: the
 * same `emit`, untouched.
 */
export function traceEach(tracing: Tracing, emit: Emit, spanName: string): Emit {
  if (!tracing.enabled) return emit;
  return (event) =>
    tracing.inSpan(spanName, { kind: 'producer', attributes: cloudEventAttributes(event) }, async (span) => {
      try {
        await emit(event);
      } catch (error) {
        span.fail((error as { code?: string }).code ?? 'delivery_failed');
        throw error;
      }
    });
}

/** CloudEvents semantic conventions (OpenTelemetry `cloudevents.*` attributes). */
export function cloudEventAttributes(event: CloudEvent): SpanAttributes {
  return {
    'cloudevents.event_id': event.id,
    'cloudevents.event_type': event.type,
    'cloudevents.event_source': event.source,
    'cloudevents.event_spec_version': '1.0',
    'cloudevents.event_subject': event.subject,
  };
}

/**
 * The caller's context: W3C `traceparent`/`tracestate` request headers; else, for CloudEvents
 * intake, the first event's distributed-tracing extension (its extensions or attributes) (CloudEvents 1.0.2
 * `extensions/distributed-tracing.md`), which binary mode carries as `ce-traceparent` and
 * structured mode as the event's `traceparent` attribute.
 */
export function callerTraceContext(
  headers: IncomingHttpHeaders,
  firstEvent: Readonly<Record<string, unknown>> | undefined,
): TraceCarrier | undefined {
  const traceparent = headers['traceparent'];
  if (typeof traceparent === 'string') {
    const tracestate = headers['tracestate'];
    return { traceparent, tracestate: typeof tracestate === 'string' ? tracestate : undefined };
  }
  const fromEvent = firstEvent?.['traceparent'];
  if (typeof fromEvent !== 'string') return undefined;
  const state = firstEvent?.['tracestate'];
  return { traceparent: fromEvent, tracestate: typeof state === 'string' ? state : undefined };
}
