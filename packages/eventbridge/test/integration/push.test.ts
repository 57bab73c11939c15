import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adapterEnv,
  bundlePath,
  fixturePath,
  startProcess,
  startRecordingSink,
  type AdapterProcess,
  type RecordingSink,
  waitFor,
} from '@tributary/testkit';

const TOKEN = 'eb-token-0123456789';
const fixture = (name: string) => readFileSync(fixturePath('eventbridge', name), 'utf8');
/** The OSS fixture under another event id, so tests do not meet core's duplicate detection. */
const ossEvent = (id: string) =>
  fixture('oss-putobject.cloudevent.json').replace('"id": "63E21F5FEE852133319101AD"', `"id": "${id}"`);

let sink: RecordingSink;
let adapter: AdapterProcess;
let endpoint: string;

beforeAll(async () => {
  sink = await startRecordingSink();
  const env = await adapterEnv(sink.url, {
    EVENTBRIDGE_TOKEN: TOKEN,
    K_SINK_RETRY: '1',
    EVENTBRIDGE_MAX_BODY_BYTES: String(64 * 1024),
  });
  adapter = startProcess(bundlePath('eventbridge'), env);
  await adapter.waitForReady(Number(env.PORT));
  endpoint = `http://127.0.0.1:${env.PORT}`;
});

afterEach(() => sink.reset());

afterAll(async () => {
  await adapter?.stop();
  await sink?.close();
});

/** EventBridge has no client library: a push is a plain HTTP POST. */
function push(body: string | Buffer, headers: Record<string, string> = {}, path = '/') {
  return fetch(`${endpoint}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json;charset=utf-8',
      'x-eventbridge-signature-token': TOKEN,
      ...headers,
    },
    body,
  });
}

describe('Alibaba EventBridge pushes', () => {
  it('delivers the OSS PutObject event of seed 003 with every attribute and the data byte for byte', async () => {
    const body = fixture('oss-putobject.cloudevent.json');
    const response = await push(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted', events: 1 });
    const [event] = await sink.waitForEvents(1);
    expect(event?.attributes).toEqual({
      specversion: '1.0',
      id: '63E21F5FEE852133319101AD',
      source: 'acs.oss',
      type: 'oss:ObjectCreated:PutObject',
      subject: 'acs:oss:cn-hangzhou:1581204543170042:knative/demo.data',
      time: '2023-02-07T09:52:31.000Z',
      datacontenttype: 'application/json;charset=utf-8',
      aliyunaccountid: '1581204543170042',
      aliyunoriginalaccountid: '1581204543170042',
      aliyunpublishtime: '2023-02-07T09:52:31.682Z',
      aliyuneventbusname: 'default',
      aliyunregionid: 'cn-hangzhou',
    });
    const seedData = /"data": (\{.*\}),\n/.exec(body)?.[1];
    expect(event?.text()).toBe(seedData);
  });

  it('delivers the ActionTrail console operation sent as application/cloudevents+json with a bearer token', async () => {
    const body = fixture('oss-actiontrail-consoleoperation.cloudevent.json');
    const response = await push(body, {
      'content-type': 'application/cloudevents+json',
      'x-eventbridge-signature-token': '',
      authorization: `Bearer ${TOKEN}`,
    });
    expect(response.status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    expect(event?.attributes).toMatchObject({
      type: 'oss:ActionTrail:ConsoleOperation',
      source: 'acs.oss',
      time: '2023-02-07T09:53:30Z',
    });
    expect(event?.json()).toEqual(JSON.parse(body).data);
  });

  it("converts Alibaba's zone-named time to UTC", async () => {
    expect((await push(fixture('oss-postobject-zone-time.cloudevent.json'))).status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    expect(event?.attributes).toMatchObject({
      time: '2020-08-17T08:04:46.149Z',
      dataschema: 'http://example.com/test.json',
      aliyunregionid: 'Shanghai',
    });
  });

  it('acknowledges a redelivery of an accepted event without forwarding it twice', async () => {
    const body = ossEvent('redelivered-1');
    expect((await push(body)).status).toBe(200);
    const again = await push(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    expect(sink.events).toHaveLength(1);
  });
});

describe('other senders', () => {
  it('delivers the legacy OSS notification body as EventBridge would', async () => {
    const body = fixture('oss-notification.json');
    expect((await push(body, { 'content-type': 'application/json' })).status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    expect(event?.attributes).toEqual({
      specversion: '1.0',
      id: '58F9FF2D3DF792092E12044C/image/a.jpg',
      source: 'acs.oss',
      type: 'oss:ObjectCreated:PutObject',
      subject: 'acs:oss:cn-shanghai:123456789:testbucket/image/a.jpg',
      time: '2017-04-21T12:46:37.000Z',
      datacontenttype: 'application/json',
    });
    expect(event?.json()).toEqual(JSON.parse(body).events[0]);
  });

  it('delivers an AWS S3 Object Created envelope with TriggerMesh attributes', async () => {
    const body = fixture('aws-s3-object-created.json');
    expect((await push(body, { 'content-type': 'application/json' })).status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    expect(event?.attributes).toEqual({
      specversion: '1.0',
      id: '17793124-05d4-b198-2fde-7ededc63b103',
      source: 'arn:aws:events:ca-central-1:111122223333:event-bus/default',
      type: 'com.amazon.events.event',
      time: '2021-11-12T00:00:00Z',
      datacontenttype: 'application/json',
      awseventssource: 'aws.s3',
      awseventsdetailtype: 'Object Created',
    });
    expect(event?.text()).toBe(body.trim());
  });

  it('delivers a batch of 100, each event with its own attributes and unrounded data', async () => {
    const batch = Array.from({ length: 100 }, (_, i) => ({
      specversion: '1.0',
      id: `batch-${i}`,
      source: 'acs.oss',
      type: 'oss:ObjectCreated:PutObject',
      subject: `acs:oss:cn-hangzhou:1581204543170042:knative/object-${i}`,
      time: '2023-02-07T09:52:31.000Z',
      aliyunregionid: 'cn-hangzhou',
      data: `__DATA_${i}__`,
    }));
    const body = JSON.stringify(batch).replace(/"__DATA_(\d+)__"/g, '{"seq":$1,"size":12345678901234567890}');
    const response = await push(body, { 'content-type': 'application/cloudevents-batch+json' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted', events: 100 });
    const events = await sink.waitForEvents(100);
    const byId = new Map(events.map((event) => [event.attributes['id'], event]));
    expect(byId.size).toBe(100);
    for (let i = 0; i < 100; i++) {
      const event = byId.get(`batch-${i}`);
      expect(event?.attributes).toMatchObject({
        subject: `acs:oss:cn-hangzhou:1581204543170042:knative/object-${i}`,
        aliyunregionid: 'cn-hangzhou',
      });
      expect(event?.text()).toBe(`{"seq":${i},"size":12345678901234567890}`);
    }
  });

  it('delivers a binary-mode event: decoded headers, body bytes and content type as sent', async () => {
    const data = Buffer.from([0x00, 0xff, 0x10, 0x80]);
    const response = await push(data, {
      'content-type': 'application/octet-stream',
      'ce-specversion': '1.0',
      'ce-id': 'bin-1',
      'ce-source': 'acs.oss',
      'ce-type': 'oss:ObjectCreated:PutObject',
      'ce-subject': 'acs:oss:cn-hangzhou:1:knative/a%20file%C3%A9.bin',
      'ce-time': '2023-02-07T09:52:31Z',
      'ce-aliyuneventbusname': 'default',
    });
    expect(response.status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    expect(event?.attributes).toEqual({
      specversion: '1.0',
      id: 'bin-1',
      source: 'acs.oss',
      type: 'oss:ObjectCreated:PutObject',
      subject: 'acs:oss:cn-hangzhou:1:knative/a fileé.bin',
      time: '2023-02-07T09:52:31Z',
      aliyuneventbusname: 'default',
      datacontenttype: 'application/octet-stream',
    });
    expect(event?.data).toEqual(data);
  });
});

describe('refused requests', () => {
  it('answers 400 listing every problem and forwards nothing', async () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['nothing but data', { data: {} }, ['specversion', 'id', 'source', 'type']],
      [
        'empty attributes',
        { specversion: '', id: '', source: '', type: '' },
        ['specversion', 'id', 'source', 'type'],
      ],
      ['wrong specversion', { specversion: '0.3', id: '1', source: 's', type: 't' }, ['specversion']],
      [
        'bad extensions',
        {
          specversion: '1.0',
          id: '1',
          source: 's',
          type: 't',
          'aliyun-region': 'x',
          nested: { a: 1 },
          list: [],
          nothing: null,
          ratio: 0.5,
        },
        ['aliyun-region', 'nested', 'list', 'nothing', 'ratio'],
      ],
      [
        'data and data_base64',
        { specversion: '1.0', id: '1', source: 's', type: 't', data: {}, data_base64: 'AA==' },
        ['data'],
      ],
      [
        'bad time',
        { specversion: '1.0', id: '1', source: 's', type: 't', time: '2020-08-17T16:04:46.149Europe/Paris' },
        ['time'],
      ],
    ];
    for (const [name, event, attributes] of cases) {
      const response = await push(JSON.stringify(event));
      expect(response.status, name).toBe(400);
      const answer = (await response.json()) as {
        error: string;
        problems: { attribute: string; message: string }[];
      };
      expect(answer.error, name).toBe('INVALID_EVENT');
      expect(
        answer.problems.map((problem) => problem.attribute),
        name,
      ).toEqual(attributes);
    }
    expect(sink.requestCount).toBe(0);
  });

  it('refuses a whole batch when one event is bad', async () => {
    const good = { specversion: '1.0', id: 'ok', source: 's', type: 't' };
    const response = await push(JSON.stringify([good, { ...good, id: 7 }]));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ problems: [{ event: 1, attribute: 'id' }] });
    expect(sink.requestCount).toBe(0);
  });

  it('answers 401 for a wrong or missing token', async () => {
    const body = fixture('oss-putobject.cloudevent.json');
    expect((await push(body, { 'x-eventbridge-signature-token': `${TOKEN}x` })).status).toBe(401);
    expect((await push(body, { 'x-eventbridge-signature-token': '' })).status).toBe(401);
    expect(
      (await push(body, { 'x-eventbridge-signature-token': '', authorization: 'Bearer nope' })).status,
    ).toBe(401);
    expect(sink.requestCount).toBe(0);
  });

  it('answers 405, 413 and 415 as the webhook adapters do', async () => {
    expect((await fetch(`${endpoint}/push`)).status).toBe(405);
    const tooBig = JSON.stringify({
      specversion: '1.0',
      id: '1',
      source: 's',
      type: 't',
      data: 'x'.repeat(70 * 1024),
    });
    expect((await push(tooBig)).status).toBe(413);
    expect((await push('<event/>', { 'content-type': 'application/xml' })).status).toBe(415);
    expect((await push('{}', { 'content-type': 'application/json; charset=iso-8859-1' })).status).toBe(415);
    expect(sink.requestCount).toBe(0);
  });
});

describe('sink failures', () => {
  it('answers 5xx while the sink is down and delivers the same request after recovery', async () => {
    const body = ossEvent('retry-1');
    sink.faults.alwaysFail(503);
    const down = await push(body);
    expect(down.status).toBeGreaterThanOrEqual(500);
    expect(sink.events).toHaveLength(0);
    sink.faults.alwaysFail(undefined);
    const recovered = await push(body);
    expect(recovered.status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    expect(event?.attributes['id']).toBe('retry-1');
  });

  it('answers 5xx when part of a batch fails; the retry delivers all, duplicates share source+id', async () => {
    const batch = [1, 2, 3].map((i) => ({
      specversion: '1.0',
      id: `part-${i}`,
      source: 'acs.oss',
      type: 'oss:ObjectCreated:PutObject',
      data: { i },
    }));
    // Four failed attempts with K_SINK_RETRY=1 (two attempts per event): one or two events are
    // not delivered, the others are.
    sink.faults.failNext(4, 500);
    const partial = await push(JSON.stringify(batch));
    expect(partial.status).toBe(503);
    const retried = await push(JSON.stringify(batch));
    expect(retried.status).toBe(200);
    const ids = () =>
      new Set(sink.events.map((event) => `${event.attributes['source']} ${event.attributes['id']}`));
    await waitFor(() => ids().size === 3, { what: 'all three events at the sink' });
    expect(sink.events.length).toBeGreaterThan(3);
  });
});
