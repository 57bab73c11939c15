import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../src/index.ts';

// The receiver is the oracle of the tracing tests: an OTLP/JSON request written by hand, modelled on
// opentelemetry-proto's examples/trace.json (v1.5.0), must read the
// same as what the exporters send, and what does not fit the schema must be refused.
describe('OTLP receiver', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  const post = (path: string, type: string, body: string | Uint8Array) =>
    fetch(`${receiver.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

  const request = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my.service' } }] },
        scopeSpans: [
          {
            scope: { name: 'my.library', version: '1.0.0' },
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId: 'eee19b7ec3c1b174',
                parentSpanId: 'eee19b7ec3c1b173',
                name: 'I\'m a server span',
                startTimeUnixNano: '1544712660000000000',
                endTimeUnixNano: '1544712661000000000',
                kind: 2,
                attributes: [
                  { key: 'my.span.attr', value: { stringValue: 'some value' } },
                  { key: 'http.response.status_code', value: { intValue: '202' } },
                ],
                status: { code: 2 },
              },
            ],
          },
        ],
      },
    ],
  };

  it('decodes OTLP/JSON through the schema: hex ids, 64-bit integers as strings, enums as numbers', async () => {
    const response = await post('/v1/traces', 'application/json', JSON.stringify(request));
    expect(response.status).toBe(200);
    expect(receiver.spans).toEqual([
      {
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        parentSpanId: 'eee19b7ec3c1b173',
        name: "I'm a server span",
        kind: 2,
        attributes: { 'my.span.attr': 'some value', 'http.response.status_code': 202 },
        resource: { 'service.name': 'my.service' },
        statusCode: 2,
      },
    ]);
    expect(receiver.contentTypes).toEqual(['application/json']);
  });

  it('refuses what does not fit the schema, in either encoding', async () => {
    const badId = structuredClone(request);
    badId.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId = 'not-hex';
    expect((await post('/v1/traces', 'application/json', JSON.stringify(badId))).status).toBe(400);
    expect((await post('/v1/traces', 'application/json', '{"resourceSpans":"none"}')).status).toBe(400);
    expect((await post('/v1/traces', 'application/x-protobuf', new Uint8Array([0x0a, 0xff, 0xff]))).status).toBe(400);
    expect((await post('/v1/logs', 'application/json', '{}')).status).toBe(404);
    expect(receiver.spans).toHaveLength(0);
  });
});
