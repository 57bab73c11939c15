// Traces end to end: built bundles as processes, a loopback OTLP receiver decoding what the
// exporter sends with OpenTelemetry's protobuf definitions, and the recording sink.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  adapterEnv,
  bundlePath,
  startOtlpReceiver,
  startProcess,
  startRecordingSink,
  waitFor,
  type AdapterProcess,
  type OtlpReceiver,
  type ReceivedSpan,
  type RecordingSink,
} from '@tributary/testkit';
import { observabilityConfig, observabilityConfigDefault, tracingConfig } from './fixtures/knative-observability.ts';

const SECRET = 'tracing-secret';
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const traceparent = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;

let sink: RecordingSink | undefined;
let receiver: OtlpReceiver | undefined;
let adapter: AdapterProcess | undefined;
afterEach(async () => {
  await adapter?.stop();
  await Promise.all([sink?.close(), receiver?.close()]);
  adapter = sink = receiver = undefined;
});

async function start(name: string, extra: (receiver: OtlpReceiver) => Record<string, string>) {
  [sink, receiver] = await Promise.all([startRecordingSink(), startOtlpReceiver()]);
  const env = await adapterEnv(sink.url, {
    NAMESPACE: 'team-a',
    NAME: 'tracing-test',
    // Spans leave only when the batch is full or the process stops: what the receiver holds after
    // `adapter.stop()` was flushed by the SIGTERM shutdown.
    OTEL_BSP_SCHEDULE_DELAY: '600000',
    ...extra(receiver),
  });
  adapter = startProcess(bundlePath(name), env);
  await adapter.waitForReady(Number(env.PORT));
  return { port: Number(env.PORT), sink, receiver, adapter };
}

function pushWebhook(port: number, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1, repository: { full_name: 'o/r', html_url: 'https://github.com/o/r' } });
  return fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'ping',
      'x-github-delivery': `d-${Math.random()}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      ...headers,
    },
    body,
  });
}

/** The server span and the delivery (client) spans of one trace. */
function serverAndDeliveries(spans: readonly ReceivedSpan[], traceId: string) {
  const inTrace = spans.filter((span) => span.traceId === traceId);
  return { server: inTrace.find((span) => span.kind === 2), deliveries: inTrace.filter((span) => span.kind === 3) };
}

describe('github: a signed webhook carrying traceparent', () => {
  it("makes a server span and a delivery span in the caller's trace; the sink receives the delivery span's traceparent", async () => {
    const { port, sink, receiver, adapter } = await start('github', (r) => ({ GITHUB_SECRET_TOKEN: SECRET, OTEL_EXPORTER_OTLP_ENDPOINT: r.url }));
    expect((await pushWebhook(port, { traceparent })).status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    await adapter.stop(); // SIGTERM flushes the spans
    const { server, deliveries } = serverAndDeliveries(receiver.spans, CALLER_TRACE);
    expect(server).toMatchObject({ parentSpanId: CALLER_SPAN, name: 'POST' });
    expect(server?.attributes['http.response.status_code']).toBe(200);
    expect(server?.resource).toMatchObject({ 'service.name': 'tributary-github', 'k8s.namespace.name': 'team-a', 'k8s.source.name': 'tracing-test' });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ parentSpanId: server?.spanId });
    expect(deliveries[0]?.attributes['cloudevents.event_type']).toBe('dev.knative.source.github.ping');
    expect(event?.headers['traceparent']).toBe(`00-${CALLER_TRACE}-${deliveries[0]?.spanId}-01`);
    expect(receiver.contentTypes).toContain('application/x-protobuf');
  });

  it('starts a new trace for a webhook without context, exported as http/json when asked', async () => {
    const { port, sink, receiver, adapter } = await start('github', (r) => ({
      GITHUB_SECRET_TOKEN: SECRET,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${r.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    }));
    expect((await pushWebhook(port)).status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    await adapter.stop();
    const [, traceId, spanId] = String(event?.headers['traceparent']).split('-');
    const { server, deliveries } = serverAndDeliveries(receiver.spans, traceId!);
    expect(server?.parentSpanId).toBe('');
    expect(deliveries.map((span) => span.spanId)).toEqual([spanId]);
    expect(receiver.contentTypes.every((type) => type === 'application/json')).toBe(true);
  });
});

describe('eventbridge: a batch pushed with traceparent', () => {
  it("delivers every event in a span of the caller's trace", async () => {
    const { port, sink, receiver, adapter } = await start('eventbridge', (r) => ({
      EVENTBRIDGE_ALLOW_UNAUTHENTICATED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: r.url,
    }));
    const batch = ['a', 'b', 'c'].map((id) => ({ specversion: '1.0', id, source: 'acs.oss', type: 'oss:ObjectCreated:PutObject', data: { id } }));
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json', traceparent },
      body: JSON.stringify(batch),
    });
    expect(response.status).toBe(200);
    const events = await sink.waitForEvents(3);
    await adapter.stop();
    const { server, deliveries } = serverAndDeliveries(receiver.spans, CALLER_TRACE);
    expect(server?.parentSpanId).toBe(CALLER_SPAN);
    expect(deliveries).toHaveLength(3);
    for (const delivery of deliveries) expect(delivery.parentSpanId).toBe(server?.spanId);
    expect(events.map((event) => String(event.headers['traceparent']).split('-')[2]).sort()).toEqual(deliveries.map((span) => span.spanId).sort());
  });
});

describe('spans are flushed on SIGTERM', () => {
  it('holds them while running (batch delay of 10 minutes) and exports them all at shutdown', async () => {
    const { port, sink, receiver, adapter } = await start('github', (r) => ({ GITHUB_SECRET_TOKEN: SECRET, OTEL_EXPORTER_OTLP_ENDPOINT: r.url }));
    for (let i = 0; i < 3; i++) expect((await pushWebhook(port, { traceparent })).status).toBe(200);
    await sink.waitForEvents(3);
    expect(receiver.spans).toHaveLength(0);
    expect((await adapter.stop()).code).toBe(0);
    const { deliveries } = serverAndDeliveries(receiver.spans, CALLER_TRACE);
    expect(receiver.spans).toHaveLength(6);
    expect(deliveries).toHaveLength(3);
  });
});

describe('eventbridge: a structured CloudEvent carrying the distributed-tracing extension', () => {
  it("takes the event's traceparent as the parent when the request has none", async () => {
    const { port, sink, receiver, adapter } = await start('eventbridge', (r) => ({
      EVENTBRIDGE_ALLOW_UNAUTHENTICATED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: r.url,
    }));
    const event = { specversion: '1.0', id: 'x-1', source: 'acs.oss', type: 'oss:ObjectCreated:PutObject', traceparent, tracestate: 'acs=1', data: {} };
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(event),
    });
    expect(response.status).toBe(200);
    const [received] = await sink.waitForEvents(1);
    await adapter.stop();
    const { server, deliveries } = serverAndDeliveries(receiver.spans, CALLER_TRACE);
    expect(server?.parentSpanId).toBe(CALLER_SPAN);
    expect(deliveries.map((span) => span.parentSpanId)).toEqual([server?.spanId]);
    expect(received?.headers['traceparent']).toBe(`00-${CALLER_TRACE}-${deliveries[0]?.spanId}-01`);
    expect(received?.headers['tracestate']).toBe('acs=1');
  });
});

describe('sqs: a message carrying traceparent', () => {
  it("is delivered in a consumer span of the sender's trace; the sink receives the delivery span's traceparent", async () => {
    const fauxqs = await startFauxqs({ port: 0, logger: false });
    const sqs = new SQSClient({ endpoint: fauxqs.address, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    try {
      const { queueUrl } = fauxqs.createQueue('traced');
      const { MessageId } = await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: '{"order":1}',
          MessageAttributes: { traceparent: { DataType: 'String', StringValue: traceparent } },
        }),
      );
      const { sink, receiver, adapter } = await start('sqs', (r) => ({
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: fauxqs.address,
        SQS_QUEUE_URL: queueUrl,
        SQS_WAIT_TIME_SECONDS: '1',
        OTEL_EXPORTER_OTLP_ENDPOINT: r.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }));
      const [event] = await sink.waitForEvents(1);
      await adapter.stop();
      const inTrace = receiver.spans.filter((span) => span.traceId === CALLER_TRACE);
      const consumer = inTrace.find((span) => span.kind === 5);
      expect(consumer).toMatchObject({ name: 'process traced', parentSpanId: CALLER_SPAN });
      expect(consumer?.attributes).toMatchObject({ 'messaging.system': 'aws_sqs', 'messaging.message.id': MessageId, 'messaging.destination.name': 'traced' });
      const delivery = inTrace.find((span) => span.kind === 3);
      expect(delivery?.parentSpanId).toBe(consumer?.spanId);
      expect(event?.headers['traceparent']).toBe(`00-${CALLER_TRACE}-${delivery?.spanId}-01`);
      expect(consumer?.resource['service.name']).toBe('tributary-sqs');
    } finally {
      sqs.destroy();
      await fauxqs.stop();
    }
  });
});

describe('ping: every tick starts a trace', () => {
  it('wraps each delivery in a root producer span whose trace the sink receives', async () => {
    const { sink, receiver, adapter } = await start('ping', (r) => ({ PING_SCHEDULE: '* * * * * *', PING_DATA: 'traced', OTEL_EXPORTER_OTLP_ENDPOINT: r.url }));
    const [event] = await sink.waitForEvents(1);
    await adapter.stop();
    const [, traceId, spanId] = String(event?.headers['traceparent']).split('-');
    const inTrace = receiver.spans.filter((span) => span.traceId === traceId);
    const producer = inTrace.find((span) => span.kind === 4);
    expect(producer).toMatchObject({ name: 'ping tick', parentSpanId: '' });
    expect(producer?.attributes['cloudevents.event_type']).toBe('dev.knative.sources.ping');
    expect(inTrace.find((span) => span.spanId === spanId)).toMatchObject({ kind: 3, parentSpanId: producer?.spanId });
  });
});

describe('display: a CloudEvent in binary mode with ce-traceparent', () => {
  it("is received in a server span of the sender's trace", async () => {
    const { port, receiver, adapter } = await start('display', (r) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: r.url }));
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': '/s', 'ce-type': 't', 'ce-traceparent': traceparent },
      body: '{}',
    });
    expect(response.status).toBe(202);
    await adapter.stop();
    expect(receiver.spans.find((span) => span.kind === 2)).toMatchObject({ traceId: CALLER_TRACE, parentSpanId: CALLER_SPAN, name: 'POST' });
  });
});

describe("Knative's observability config", () => {
  it('K_OBSERVABILITY_CONFIG from the config-observability sample turns OTLP trace export on', async () => {
    const { port, sink, receiver, adapter } = await start('github', (r) => ({
      GITHUB_SECRET_TOKEN: SECRET,
      K_OBSERVABILITY_CONFIG: observabilityConfig(`${r.url}/v1/traces`, `${r.url}/v1/metrics`),
    }));
    expect((await pushWebhook(port, { traceparent })).status).toBe(200);
    await sink.waitForEvents(1);
    await adapter.stop();
    expect(serverAndDeliveries(receiver.spans, CALLER_TRACE).deliveries).toHaveLength(1);
    // The metrics block of the same sample pushes the metrics too (flushed at shutdown).
    const events = await receiver.waitForMetric('event_count');
    expect(events.points[0]?.attributes).toMatchObject({ response_code: '202', name: 'tracing-test', namespace_name: 'team-a' });
  });

  it('K_OBSERVABILITY_CONFIG as the ConfigMap renders without settings (protocols none) leaves export off', async () => {
    const { port, sink, receiver, adapter } = await start('github', () => ({ GITHUB_SECRET_TOKEN: SECRET, K_OBSERVABILITY_CONFIG: observabilityConfigDefault() }));
    expect((await pushWebhook(port, { traceparent })).status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    await adapter.stop();
    expect(event?.headers['traceparent']).toBeUndefined();
    expect(receiver.spans).toHaveLength(0);
    expect(receiver.metrics).toHaveLength(0);
    expect(adapter.logs.some((line) => String(line['msg']).includes('observability config'))).toBe(false);
  });

  it('K_TRACING_CONFIG with the sample backend "none" leaves tracing off: no span, no traceparent', async () => {
    const { port, sink, receiver, adapter } = await start('github', () => ({ GITHUB_SECRET_TOKEN: SECRET, K_TRACING_CONFIG: tracingConfig('none') }));
    expect((await pushWebhook(port, { traceparent })).status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    await adapter.stop();
    expect(event?.headers['traceparent']).toBeUndefined();
    expect(receiver.spans).toHaveLength(0);
    expect(adapter.logs.some((line) => 'trace_id' in line)).toBe(false);
  });

  it('K_TRACING_CONFIG with backend zipkin exports to the Zipkin endpoint; a malformed value is logged and ignored', async () => {
    const zipkin: unknown[] = [];
    const collector = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        if (request.url === '/api/v2/spans') zipkin.push(...(JSON.parse(body) as unknown[]));
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/api/v2/spans`;
      const tracing = JSON.parse(tracingConfig('zipkin', endpoint)) as Record<string, string>;
      const { port, sink, adapter } = await start('github', () => ({
        GITHUB_SECRET_TOKEN: SECRET,
        K_TRACING_CONFIG: JSON.stringify({ ...tracing, 'sample-rate': '1' }),
        K_METRICS_CONFIG: '{not json',
      }));
      expect((await pushWebhook(port, { traceparent })).status).toBe(200);
      await sink.waitForEvents(1);
      await adapter.stop();
      await waitFor(() => zipkin.length >= 2, { timeoutMs: 5_000, what: 'spans at the Zipkin endpoint' });
      expect(zipkin.every((span) => (span as { traceId: string }).traceId === CALLER_TRACE)).toBe(true);
      expect(adapter.logs.filter((line) => String(line['msg']).includes('K_METRICS_CONFIG'))).toHaveLength(1);
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });
});
