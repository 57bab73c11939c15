import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, startRecordingSink, type OtlpReceiver, type RecordingSink } from '@tributary/testkit';
import {
  callerTraceContext,
  createLogger,
  createMetrics,
  DeliveryError,
  Env,
  readObservabilityConfig,
  SinkClient,
  startTracing,
  traceEach,
  type CloudEvent,
} from '../src/index.ts';

const event: CloudEvent = { id: 'delivery-1', source: 'https://github.com/o/r', type: 'dev.knative.source.github.push', data: {} };
const CALLER = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

describe.each(['http/protobuf', 'http/json'])('tracing exported over OTLP %s', (protocol) => {
  let sink: RecordingSink;
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    [sink, receiver] = await Promise.all([startRecordingSink(), startOtlpReceiver()]);
  });
  afterEach(async () => {
    await Promise.all([sink.close(), receiver.close()]);
  });

  it("continues the caller's trace: server span, then a client span per attempt whose traceparent the sink receives", async () => {
    const config = readObservabilityConfig(new Env({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol }));
    const tracing = await startTracing(config.traces, { adapter: 'github', namespace: 'team-a', name: 'hooks' }, () => {});
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('info', {}, () => tracing.logFields());
    const client = new SinkClient({
      sink: new URL(sink.url),
      mode: 'binary',
      overrides: {},
      timeoutMs: 2_000,
      retry: { retries: 2, backoff: 'linear', delayMs: 1, maxDelayMs: 10 },
      maxInFlight: 4,
      metrics: createMetrics({}, false).delivery,
      tracer: tracing.delivery,
    });
    sink.faults.failNext(1, 503);
    await tracing.inSpan('POST', { kind: 'server', parent: { traceparent: `00-${CALLER.traceId}-${CALLER.spanId}-01` } }, async () => {
      lines.push(tracing.logFields());
      logger.info('inside');
      await client.send(event);
    });
    await client.close();
    await tracing.shutdown(5_000);

    const spans = await receiver.waitForSpans((all) => all.length >= 3);
    const server = spans.find((span) => span.kind === 2)!;
    const attempts = spans.filter((span) => span.kind === 3);
    expect(server).toMatchObject({ traceId: CALLER.traceId, parentSpanId: CALLER.spanId, name: 'POST' });
    expect(server.resource).toMatchObject({ 'service.name': 'tributary-github', 'k8s.namespace.name': 'team-a', 'k8s.source.name': 'hooks' });
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) expect(attempt).toMatchObject({ traceId: CALLER.traceId, parentSpanId: server.spanId });
    expect(attempts.map((span) => span.attributes['http.response.status_code']).sort()).toEqual([202, 503]);
    expect(attempts[0]!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'cloudevents.event_id': 'delivery-1',
      'cloudevents.event_type': 'dev.knative.source.github.push',
      'cloudevents.event_source': 'https://github.com/o/r',
    });
    const accepted = attempts.find((span) => span.attributes['http.response.status_code'] === 202)!;
    const [received] = await sink.waitForEvents(1);
    expect(received?.headers['traceparent']).toBe(`00-${CALLER.traceId}-${accepted.spanId}-01`);
    expect(lines[0]).toEqual({ trace_id: CALLER.traceId, span_id: server.spanId, trace_flags: '01' });
    expect(receiver.contentTypes[0]).toBe(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
  });
});

describe('traceEach: a trace per event for sources whose events begin here', () => {
  it('wraps each delivery in a root producer span; a failed delivery marks it failed', async () => {
    const [sink, receiver] = await Promise.all([startRecordingSink(), startOtlpReceiver()]);
    try {
      const config = readObservabilityConfig(new Env({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }));
      const tracing = await startTracing(config.traces, { adapter: 'ping', namespace: undefined, name: undefined }, () => {});
      const client = new SinkClient({
        sink: new URL(sink.url),
        mode: 'binary',
        overrides: {},
        timeoutMs: 2_000,
        retry: { retries: 0, backoff: 'linear', delayMs: 1, maxDelayMs: 10 },
        maxInFlight: 4,
        metrics: createMetrics({}, false).delivery,
        tracer: tracing.delivery,
      });
      const emit = traceEach(tracing, (e) => client.send(e).then(() => {}), 'ping tick');
      await emit(event);
      await emit({ ...event, id: 'delivery-2' });
      sink.faults.failNext(1, 400);
      await expect(emit({ ...event, id: 'refused' })).rejects.toBeInstanceOf(DeliveryError);
      await client.close();
      await tracing.shutdown(5_000);

      const spans = await receiver.waitForSpans((all) => all.length >= 6);
      const producers = spans.filter((span) => span.kind === 4);
      expect(producers.map((span) => span.name)).toEqual(['ping tick', 'ping tick', 'ping tick']);
      expect(new Set(producers.map((span) => span.traceId)).size).toBe(3);
      for (const producer of producers) {
        expect(producer.parentSpanId).toBe('');
        const [attempt] = spans.filter((span) => span.kind === 3 && span.parentSpanId === producer.spanId);
        expect(attempt?.traceId).toBe(producer.traceId);
        expect(attempt?.attributes['cloudevents.event_id']).toBe(producer.attributes['cloudevents.event_id']);
      }
      const refused = producers.find((span) => span.attributes['cloudevents.event_id'] === 'refused');
      expect(refused?.statusCode).toBe(2);
      const received = await sink.waitForEvents(2);
      expect(received.map((e) => String(e.headers['traceparent']).split('-')[1]).sort()).toEqual(
        producers.filter((span) => span.statusCode !== 2).map((span) => span.traceId).sort(),
      );
    } finally {
      await Promise.all([sink.close(), receiver.close()]);
    }
  });

  it('returns the emit itself when tracing is off', async () => {
    const tracing = await startTracing(undefined, { adapter: 'ping', namespace: undefined, name: undefined }, () => {});
    const emit = () => Promise.resolve();
    expect(traceEach(tracing, emit, 'ping tick')).toBe(emit);
  });
});

describe('callerTraceContext', () => {
  const traceparent = `00-${CALLER.traceId}-${CALLER.spanId}-01`;
  it("takes the traceparent header first, else the first event's distributed-tracing extension", () => {
    expect(callerTraceContext({ traceparent, tracestate: 'a=b' }, { traceparent: 'ignored' })).toEqual({ traceparent, tracestate: 'a=b' });
    expect(callerTraceContext({}, { traceparent, tracestate: 'c=d' })).toEqual({ traceparent, tracestate: 'c=d' });
    expect(callerTraceContext({}, { id: '1' })).toBeUndefined();
    expect(callerTraceContext({}, undefined)).toBeUndefined();
  });
});

describe('tracing off', () => {
  it('is the no-op: no delivery tracer, no log fields, and inSpan just runs the function', async () => {
    const tracing = await startTracing(readObservabilityConfig(new Env({})).traces, { adapter: 'x', namespace: undefined, name: undefined }, () => {});
    expect(tracing.enabled).toBe(false);
    expect(tracing.delivery).toBeUndefined();
    await expect(tracing.inSpan('x', { kind: 'internal' }, async () => 42)).resolves.toBe(42);
    expect(tracing.logFields()).toEqual({});
  });
});
