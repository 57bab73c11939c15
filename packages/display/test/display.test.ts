import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudEvent, HTTP } from 'cloudevents';
import { createEncoder } from '@tributary/core';
import { bundlePath, freePort, startProcess, waitFor, type AdapterProcess } from '@tributary/testkit';
import type { DisplayedEvent } from '../src/displayed-event.ts';
import { openStream, type SseClient, type SseMessage } from './sse-client.ts';

let display: AdapterProcess;
let base: string;
let stream: SseClient;

beforeAll(async () => {
  const port = await freePort();
  display = startProcess(bundlePath('display'), {
    PORT: String(port),
    METRICS_PORT: String(await freePort()),
  });
  await display.waitForReady(port);
  base = `http://127.0.0.1:${port}`;
  stream = await openStream(`${base}/api/stream`);
});

afterAll(async () => {
  stream.close();
  await display.stop();
});

const withId = (id: string) => (message: SseMessage) =>
  message.event === 'cloudevent' && (message.data as DisplayedEvent).attributes['id'] === id;

async function received(id: string): Promise<DisplayedEvent> {
  return (await stream.next(withId(id))).data as DisplayedEvent;
}

function post(headers: Record<string, string>, body: BodyInit | undefined): Promise<Response> {
  return fetch(`${base}/`, { method: 'POST', headers, body });
}

describe('display sink: the three content modes', () => {
  it('decodes binary mode, percent-decoding ce-* header values (space and non-ASCII)', async () => {
    const encode = createEncoder({ mode: 'binary', overrides: {} });
    const request = encode({
      id: 'binary-1',
      source: 'https://gitlab.example.com/group/project',
      type: 'dev.knative.sources.gitlab.push',
      subject: 'café ☕ "quoted"',
      time: '2024-05-01T10:00:00.123Z',
      datacontenttype: 'application/json',
      data: { ref: 'refs/heads/main' },
      extensions: { comgitlabevent: 'Push Hook', the: 42, beats: true },
    });
    // The wire really carries the encoded forms the display must decode.
    expect(request.headers['ce-comgitlabevent']).toBe('Push%20Hook');
    expect(request.headers['ce-subject']).toBe('caf%C3%A9%20%E2%98%95%20%22quoted%22');

    expect((await post(request.headers, request.body as string)).status).toBe(202);
    const event = await received('binary-1');
    expect(event.mode).toBe('binary');
    expect(event.attributes).toEqual({
      specversion: '1.0',
      id: 'binary-1',
      source: 'https://gitlab.example.com/group/project',
      type: 'dev.knative.sources.gitlab.push',
      subject: 'café ☕ "quoted"',
      time: '2024-05-01T10:00:00.123Z',
      datacontenttype: 'application/json',
      comgitlabevent: 'Push Hook',
      the: '42',
      beats: 'true',
    });
    expect(event.data).toEqual({ kind: 'json', value: { ref: 'refs/heads/main' } });
    expect(event.warnings).toEqual([]);
  });

  it('shows binary data that is not text as base64, and text as text', async () => {
    const headers = { 'ce-specversion': '1.0', 'ce-source': '/bytes', 'ce-type': 'com.example.bytes' };
    await post(
      { ...headers, 'ce-id': 'bytes-1', 'content-type': 'application/octet-stream' },
      new Uint8Array([0, 1, 2, 255]),
    );
    await post({ ...headers, 'ce-id': 'text-1', 'content-type': 'text/plain' }, 'héllo\nworld');
    expect((await received('bytes-1')).data).toEqual({ kind: 'binary', base64: 'AAEC/w==', size: 4 });
    expect((await received('text-1')).data).toEqual({ kind: 'text', value: 'héllo\nworld' });
  });

  it('decodes structured mode, keeping integer and boolean extensions typed', async () => {
    const event = new CloudEvent(
      {
        id: 'structured-1',
        source: 'acs.oss',
        type: 'oss:ObjectCreated:PutObject',
        subject: 'acs:oss:cn-hangzhou:1581204543170042:knative/demo.data',
        datacontenttype: 'application/json;charset=utf-8',
        aliyunregionid: 'cn-hangzhou',
        the: 42,
        beats: true,
        data: { eventName: 'ObjectCreated:PutObject', oss: { object: { key: 'demo.data' } } },
      },
      false,
    );
    const message = HTTP.structured(event);
    expect((await post(message.headers as Record<string, string>, message.body as string)).status).toBe(202);
    const shown = await received('structured-1');
    expect(shown.mode).toBe('structured');
    expect(shown.attributes).toMatchObject({
      type: 'oss:ObjectCreated:PutObject',
      aliyunregionid: 'cn-hangzhou',
      the: 42,
      beats: true,
    });
    expect(shown.data).toEqual({
      kind: 'json',
      value: { eventName: 'ObjectCreated:PutObject', oss: { object: { key: 'demo.data' } } },
    });
  });

  it('decodes structured data_base64', async () => {
    const envelope = {
      specversion: '1.0',
      id: 'base64-1',
      source: '/b64',
      type: 'com.example.b64',
      data_base64: 'AAEC/w==',
    };
    const response = await post({ 'content-type': 'application/cloudevents+json' }, JSON.stringify(envelope));
    expect(response.status).toBe(202);
    expect((await received('base64-1')).data).toEqual({ kind: 'binary', base64: 'AAEC/w==', size: 4 });
  });

  it('decodes a batch into its events, in order', async () => {
    const batch = [
      { specversion: '1.0', id: 'batch-1', source: '/batch', type: 'com.example.first', data: { n: 1 } },
      {
        specversion: '1.0',
        id: 'batch-2',
        source: '/batch',
        type: 'com.example.second',
        datacontenttype: 'text/plain',
        data: 'two',
      },
    ];
    const response = await post(
      { 'content-type': 'application/cloudevents-batch+json' },
      JSON.stringify(batch),
    );
    expect(response.status).toBe(202);
    const first = await received('batch-1');
    const second = await received('batch-2');
    expect([first.mode, second.mode]).toEqual(['batch', 'batch']);
    expect(second.seq).toBe(first.seq + 1);
    expect(second.data).toEqual({ kind: 'text', value: 'two' });
  });

  it('shows a non-RFC 3339 time with a warning rather than refusing the event', async () => {
    const envelope = {
      specversion: '1.0',
      id: 'time-1',
      source: 'acs.oss',
      type: 'oss:ObjectCreated:PutObject',
      time: '2020-08-17T16:04:46.149Asia/Shanghai',
    };
    expect(
      (await post({ 'content-type': 'application/cloudevents+json' }, JSON.stringify(envelope))).status,
    ).toBe(202);
    expect((await received('time-1')).warnings).toEqual([
      'time "2020-08-17T16:04:46.149Asia/Shanghai" is not RFC 3339',
    ]);
  });

  it('prints each event as one readable line', async () => {
    await received('binary-1');
    await waitFor(() => display.stdout().includes('id=binary-1'), { what: 'the event line' });
    const line = display
      .stdout()
      .split('\n')
      .find((l) => l.includes('id=binary-1'));
    expect(line).toBe(
      '☁ dev.knative.sources.gitlab.push  source=https://gitlab.example.com/group/project  subject="café ☕ \\"quoted\\""  ' +
        'id=binary-1  time=2024-05-01T10:00:00.123Z  comgitlabevent="Push Hook"  the=42  beats=true  data={"ref":"refs/heads/main"}',
    );
  });
});

describe('display sink: malformed requests', () => {
  const cases: [string, Record<string, string>, string, string][] = [
    [
      'binary without ce-id',
      { 'ce-specversion': '1.0', 'ce-source': '/x', 'ce-type': 't' },
      '',
      'required attribute "id" is missing',
    ],
    [
      'binary with a bad attribute name',
      { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': '/x', 'ce-type': 't', 'ce-bad_name': 'v' },
      '',
      'attribute name "bad_name" is invalid',
    ],
    ['no CloudEvent at all', { 'content-type': 'application/json' }, '{"hello":"world"}', 'not a CloudEvent'],
    [
      'structured body that is not JSON',
      { 'content-type': 'application/cloudevents+json' },
      '{"specversion":',
      'the body is not valid JSON',
    ],
    [
      'structured event with an object extension',
      { 'content-type': 'application/cloudevents+json' },
      '{"specversion":"1.0","id":"1","source":"/x","type":"t","ext":{}}',
      'attribute "ext" must be a string, an integer or a boolean',
    ],
    [
      'structured event of spec 0.3',
      { 'content-type': 'application/cloudevents+json' },
      '{"specversion":"0.3","id":"1","source":"/x","type":"t"}',
      'specversion "0.3" is not supported',
    ],
    [
      'batch that is not an array',
      { 'content-type': 'application/cloudevents-batch+json' },
      '{"specversion":"1.0"}',
      'a batch must be a JSON array',
    ],
    [
      'batch with one bad member',
      { 'content-type': 'application/cloudevents-batch+json' },
      '[{"specversion":"1.0","id":"ok-in-bad-batch","source":"/x","type":"t"},{"id":"2"}]',
      'event 1 of the batch: required attribute "specversion" is missing',
    ],
  ];

  it.each(cases)('answers 400 with the reason: %s', async (_name, headers, body, reason) => {
    const response = await post(headers, body === '' ? undefined : body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: string; message: string };
    expect(answer.message).toContain(reason);
  });

  it('answers 415 for an event format other than JSON', async () => {
    const response = await post({ 'content-type': 'application/cloudevents+xml' }, '<event/>');
    expect(response.status).toBe(415);
  });

  it('keeps the stream and the kept events intact after malformed requests', async () => {
    const before = (await (await fetch(`${base}/api/events`)).json()) as { total: number };
    await post({ 'content-type': 'application/cloudevents+json' }, 'not json');
    await post({ 'ce-specversion': '1.0' }, undefined);
    const envelope = { specversion: '1.0', id: 'after-bad', source: '/x', type: 'com.example.after' };
    expect(
      (await post({ 'content-type': 'application/cloudevents+json' }, JSON.stringify(envelope))).status,
    ).toBe(202);
    expect((await received('after-bad')).attributes['type']).toBe('com.example.after');
    const after = (await (await fetch(`${base}/api/events`)).json()) as {
      total: number;
      events: DisplayedEvent[];
    };
    expect(after.total).toBe(before.total + 1);
    expect(after.events[0]?.attributes['id']).toBe('after-bad');
    // Nothing from a refused batch was kept, not even its valid member.
    expect(stream.messages.some(withId('ok-in-bad-batch'))).toBe(false);
  });
});

describe('display sink: refused requests are shown', () => {
  it('streams its own refusal with the reason, prints a line and keeps it for new pages', async () => {
    await post({ 'content-type': 'application/cloudevents+json' }, '{"specversion":"1.0","id":"r1"}');
    // The malformed requests above were refused too: pick this one by its reason.
    const refused = (
      await stream.next(
        (m) => m.event === 'refused' && String((m.data as { reason: string }).reason).includes('"source" is missing'),
      )
    ).data as Record<string, unknown>;
    expect(refused).toMatchObject({ by: 'display', status: 400, code: 'INVALID_CLOUDEVENT' });
    expect(String(refused['reason'])).toContain('required attribute "source" is missing');
    await waitFor(() => display.stdout().includes('✗ refused by display  status=400  code=INVALID_CLOUDEVENT'), {
      what: 'the refused line in the log',
    });
    const kept = (await (await fetch(`${base}/api/events`)).json()) as { refused: { reason: string }[] };
    expect(kept.refused[0]?.reason).toContain('"source" is missing');
  });

  it('takes an adapter\'s report of a refusal as JSON, and refuses a report that is not one', async () => {
    const report = { by: 'github', status: 401, code: 'SIGNATURE_INVALID', reason: 'no signature matched' };
    const accepted = await fetch(`${base}/api/refused`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(report),
    });
    expect(accepted.status).toBe(202);
    expect((await stream.next((m) => m.event === 'refused' && (m.data as { by: string }).by === 'github')).data).toMatchObject(
      report,
    );
    for (const bad of [{ ...report, status: 200 }, { ...report, by: '' }, 'not an object']) {
      const answer = await fetch(`${base}/api/refused`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(bad),
      });
      expect(answer.status).toBe(400);
    }
    // A cross-site form cannot send JSON: anything else is not read as a report.
    const form = await fetch(`${base}/api/refused`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'by=x&status=400&code=c&reason=r',
    });
    expect(form.status).toBe(400);
  });
});

describe('display sink: the page', () => {
  it('serves the page and its script from the bundle, under a strict CSP', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('src="assets/app.js"');
    const script = await fetch(`${base}/assets/app.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain('EventSource');
    const style = await fetch(`${base}/assets/style.css`);
    expect(style.headers.get('content-type')).toContain('text/css');
  });

  it('starts each stream with a snapshot of the kept events, newest first', async () => {
    const second = await openStream(`${base}/api/stream`);
    try {
      const snapshot = (await second.next((m) => m.event === 'snapshot')).data as {
        capacity: number;
        events: DisplayedEvent[];
      };
      expect(snapshot.capacity).toBe(500);
      const seqs = snapshot.events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      expect(snapshot.events.some((e) => e.attributes['id'] === 'binary-1')).toBe(true);
    } finally {
      second.close();
    }
  });
});
