import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingSink, type RecordingSink } from '../src/index.ts';

// The sink is the oracle of every adapter test, so it gets tested with hand-written requests.
describe('recording sink', () => {
  let sink: RecordingSink;
  beforeEach(async () => {
    sink = await startRecordingSink();
  });
  afterEach(async () => {
    await sink.close();
  });

  const post = (headers: Record<string, string>, body: string) => fetch(sink.url, { method: 'POST', headers, body });
  const binary = { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': 'urn:x', 'ce-type': 't', 'content-type': 'application/json' };

  it('decodes percent-encoded binary headers and keeps the body bytes', async () => {
    const response = await post({ ...binary, 'ce-comgitlabevent': 'Push%20Hook', 'ce-who': 'Z%C3%BCrich' }, '{"a":1}');
    expect(response.status).toBe(202);
    const [event] = await sink.waitForEvents(1);
    expect(event?.attributes).toMatchObject({ comgitlabevent: 'Push Hook', who: 'Zürich', datacontenttype: 'application/json' });
    expect(event?.text()).toBe('{"a":1}');
  });

  it('parses structured and batch requests', async () => {
    const envelope = { specversion: '1.0', id: '2', source: 'urn:x', type: 't', data: { b: 2 } };
    expect((await post({ 'content-type': 'application/cloudevents+json' }, JSON.stringify(envelope))).status).toBe(202);
    const batch = [envelope, { ...envelope, id: '3', data_base64: 'AQI=', data: undefined }];
    expect((await post({ 'content-type': 'application/cloudevents-batch+json' }, JSON.stringify(batch))).status).toBe(202);
    const events = await sink.waitForEvents(3);
    expect(events.map((e) => e.mode)).toEqual(['structured', 'batch', 'batch']);
    expect(events[0]?.json()).toEqual({ b: 2 });
    expect([...(events[2]?.data ?? [])]).toEqual([1, 2]);
  });

  it.each([
    ['missing id', { ...binary, 'ce-id': '' }],
    ['bad extension name', { ...binary, 'ce-Bad_Name': 'x' }],
    ['wrong specversion', { ...binary, 'ce-specversion': '0.1' }],
  ])('answers 400 to an invalid event (%s) and records nothing', async (_case, headers) => {
    expect((await post(headers, '{}')).status).toBe(400);
    expect(sink.events).toHaveLength(0);
    expect(sink.rejected).toHaveLength(1);
  });

  it('injects faults: failNext with Retry-After, then accepts', async () => {
    sink.faults.failNext(2, 503, 7);
    const first = await post(binary, '{}');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('7');
    expect((await post(binary, '{}')).status).toBe(503);
    expect((await post(binary, '{}')).status).toBe(202);
    expect(sink.requestCount).toBe(3);
  });
});
