import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, startRecordingSink, type OtlpReceiver, type RecordingSink } from '@tributary/testkit';
import { createLogger, createMetrics, Env, readObservabilityConfig, SinkClient, startTracing, type CloudEvent } from '../src/index.ts';

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

describe('tracing off', () => {
  it('is the no-op: no delivery tracer, no log fields, and inSpan just runs the function', async () => {
    const tracing = await startTracing(readObservabilityConfig(new Env({})).traces, { adapter: 'x', namespace: undefined, name: undefined }, () => {});
    expect(tracing.enabled).toBe(false);
    expect(tracing.delivery).toBeUndefined();
    await expect(tracing.inSpan('x', { kind: 'internal' }, async () => 42)).resolves.toBe(42);
    expect(tracing.logFields()).toEqual({});
  });
});
