import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HttpError, type CloudEvent } from '@tributary/core';
import { fixturePath } from '@tributary/testkit';
import { readEvents, type ReadResult } from '../../src/read-events.ts';

const fixture = (name: string) => readFileSync(fixturePath('eventbridge', name), 'utf8');

function read(
  body: string | Buffer,
  contentType = 'application/json',
  headers: IncomingHttpHeaders = {},
  awsSource?: string,
): ReadResult {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return readEvents(
    {
      headers: { 'content-type': contentType, ...headers },
      body: Buffer.isBuffer(body) ? body : Buffer.from(body),
      mediaType,
    },
    { awsSource },
  );
}

function refusal(run: () => unknown): HttpError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an HttpError');
}

const text = (event: CloudEvent | undefined) =>
  typeof event?.data === 'string' ? event.data : Buffer.from(event?.data as Uint8Array).toString();

describe('Alibaba EventBridge CloudEvents', () => {
  it('keeps the OSS PutObject event of seed 003 attribute for attribute, data byte for byte', () => {
    const body = fixture('oss-putobject.cloudevent.json');
    const { shape, events } = read(body, 'application/json;charset=utf-8');
    expect(shape).toBe('structured');
    const [event] = events;
    expect(event).toMatchObject({
      id: '63E21F5FEE852133319101AD',
      source: 'acs.oss',
      type: 'oss:ObjectCreated:PutObject',
      subject: 'acs:oss:cn-hangzhou:1581204543170042:knative/demo.data',
      time: '2023-02-07T09:52:31.000Z',
      datacontenttype: 'application/json;charset=utf-8',
      extensions: {
        aliyunaccountid: '1581204543170042',
        aliyunoriginalaccountid: '1581204543170042',
        aliyunpublishtime: '2023-02-07T09:52:31.682Z',
        aliyuneventbusname: 'default',
        aliyunregionid: 'cn-hangzhou',
      },
    });
    const seedLine = body.split('\n').find((line) => line.trim().startsWith('"data"')) as string;
    expect(text(event)).toBe(seedLine.trim().slice('"data": '.length, -1));
    expect(JSON.parse(text(event))).toEqual(JSON.parse(body).data);
  });

  it('keeps the ActionTrail console-operation event', () => {
    const [event] = read(
      fixture('oss-actiontrail-consoleoperation.cloudevent.json'),
      'application/cloudevents+json',
    ).events;
    expect(event?.type).toBe('oss:ActionTrail:ConsoleOperation');
    expect(event?.time).toBe('2023-02-07T09:53:30Z');
    expect(JSON.parse(text(event))).toMatchObject({ eventType: 'ConsoleOperation', serviceName: 'Oss' });
  });

  it('converts the zone-named time of Alibaba docs to UTC and keeps dataschema', () => {
    const [event] = read(fixture('oss-postobject-zone-time.cloudevent.json')).events;
    expect(event?.time).toBe('2020-08-17T08:04:46.149Z');
    expect(event?.dataschema).toBe('http://example.com/test.json');
    expect(event?.extensions).toEqual({ aliyuneventbusname: 'demo-bus', aliyunregionid: 'Shanghai' });
  });

  it('keeps integer and boolean extensions typed, big numbers in data unrounded', () => {
    const body =
      '{"specversion":"1.0","id":"1","source":"s","type":"t","count":7,"flag":false,"data":{"n":12345678901234567890}}';
    const [event] = read(body, 'application/cloudevents+json').events;
    expect(event?.extensions).toEqual({ count: 7, flag: false });
    expect(event?.data).toBe('{"n":12345678901234567890}');
    expect(event?.datacontenttype).toBe('application/json');
  });

  it('turns data_base64 into bytes and keeps text data of a text type as text', () => {
    const [bytes] = read(
      '{"specversion":"1.0","id":"1","source":"s","type":"t","datacontenttype":"image/png","data_base64":"AAEC/w=="}',
    ).events;
    expect(bytes?.data).toEqual(Buffer.from([0, 1, 2, 255]));
    const [plain] = read(
      '{"specversion":"1.0","id":"1","source":"s","type":"t","datacontenttype":"text/plain","data":"hi \\"there\\""}',
    ).events;
    expect(plain?.data).toBe('hi "there"');
  });
});

describe('other shapes', () => {
  it('maps the legacy OSS notification body like EventBridge maps OSS events', () => {
    const { shape, events } = read(fixture('oss-notification.json'));
    expect(shape).toBe('oss-notification');
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      id: '58F9FF2D3DF792092E12044C/image/a.jpg',
      source: 'acs.oss',
      type: 'oss:ObjectCreated:PutObject',
      subject: 'acs:oss:cn-shanghai:123456789:testbucket/image/a.jpg',
      time: '2017-04-21T12:46:37.000Z',
      datacontenttype: 'application/json',
    });
    expect(JSON.parse(text(event))).toEqual(JSON.parse(fixture('oss-notification.json')).events[0]);
  });

  it('gives a record without a request id a stable hash id', () => {
    const record = {
      eventName: 'ObjectRemoved:DeleteObject',
      region: 'cn-hangzhou',
      oss: { bucket: { name: 'b', ownerIdentity: '1' } },
    };
    const first = read(JSON.stringify({ events: [record] })).events[0];
    const again = read(JSON.stringify({ events: [record] })).events[0];
    expect(first?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again?.id).toBe(first?.id);
    expect(first?.subject).toBe('acs:oss:cn-hangzhou:1:b');
  });

  it("maps an AWS S3 Object Created envelope with TriggerMesh's attributes", () => {
    const body = fixture('aws-s3-object-created.json');
    const { shape, events } = read(body);
    expect(shape).toBe('aws-envelope');
    expect(events[0]).toMatchObject({
      id: '17793124-05d4-b198-2fde-7ededc63b103',
      source: 'arn:aws:events:ca-central-1:111122223333:event-bus/default',
      type: 'com.amazon.events.event',
      time: '2021-11-12T00:00:00Z',
      datacontenttype: 'application/json',
      extensions: { awseventssource: 'aws.s3', awseventsdetailtype: 'Object Created' },
    });
    expect(text(events[0])).toBe(body.trim());
    expect(
      read(body, 'application/json', {}, 'arn:aws:events:ca-central-1:111122223333:event-bus/uploads')
        .events[0]?.source,
    ).toBe('arn:aws:events:ca-central-1:111122223333:event-bus/uploads');
  });

  it('reads a batch from either media type and keeps every data slice', () => {
    const items = [0, 1, 2].map((i) => ({
      specversion: '1.0',
      id: `e${i}`,
      source: 'acs.oss',
      type: 'oss:ObjectCreated:PutObject',
      data: { i },
    }));
    for (const contentType of ['application/cloudevents-batch+json', 'application/json']) {
      const { shape, events } = read(JSON.stringify(items), contentType);
      expect(shape).toBe('batch');
      expect(events.map((event) => [event.id, event.data])).toEqual([
        ['e0', '{"i":0}'],
        ['e1', '{"i":1}'],
        ['e2', '{"i":2}'],
      ]);
    }
  });

  it('reads binary mode: percent-decoded headers, body bytes and content type as received', () => {
    const headers = {
      'ce-specversion': '1.0',
      'ce-id': 'b1',
      'ce-source': 'acs.oss',
      'ce-type': 'oss:ObjectCreated:PutObject',
      'ce-subject': 'a%20b%C3%A9',
      'ce-aliyunregionid': 'cn-hangzhou',
    };
    const body = Buffer.from('{"x":1}');
    const { shape, events } = read(body, 'application/json;charset=UTF-8', headers);
    expect(shape).toBe('binary');
    expect(events[0]).toMatchObject({
      id: 'b1',
      subject: 'a bé',
      datacontenttype: 'application/json;charset=UTF-8',
      extensions: { aliyunregionid: 'cn-hangzhou' },
    });
    expect(events[0]?.data).toBe(body);
    const [raw] = read(Buffer.from([0xff, 0x00]), 'application/octet-stream', headers).events;
    expect(raw?.data).toEqual(Buffer.from([0xff, 0x00]));
  });
});

describe('refusals', () => {
  it('lists every problem of an event in one 400', () => {
    const body = JSON.stringify({
      specversion: '0.3',
      id: '',
      type: 7,
      time: '2023-02-07 09:52',
      Bad_Name: 'x',
      obj: { a: 1 },
      arr: [1],
      nul: null,
      frac: 1.5,
      big: 2 ** 31,
      data: {},
      data_base64: 'AA==',
    });
    const error = refusal(() => read(body));
    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_EVENT');
    const problems = (error.details?.['problems'] ?? []) as { attribute: string; message: string }[];
    expect(problems.map((problem) => problem.attribute).sort()).toEqual(
      [
        'Bad_Name',
        'arr',
        'big',
        'data',
        'frac',
        'id',
        'nul',
        'obj',
        'source',
        'specversion',
        'time',
        'type',
      ].sort(),
    );
  });

  it.each([
    ['missing specversion', { id: '1', source: 's', type: 't' }, 'specversion'],
    ['empty source', { specversion: '1.0', id: '1', source: '', type: 't' }, 'source'],
    ['source with a space', { specversion: '1.0', id: '1', source: 'a b', type: 't' }, 'source'],
    [
      'relative dataschema',
      { specversion: '1.0', id: '1', source: 's', type: 't', dataschema: 'x.json' },
      'dataschema',
    ],
    [
      'bad content type',
      { specversion: '1.0', id: '1', source: 's', type: 't', datacontenttype: 'json' },
      'datacontenttype',
    ],
    [
      'bad base64',
      { specversion: '1.0', id: '1', source: 's', type: 't', data_base64: 'a b' },
      'data_base64',
    ],
    ['control character', { specversion: '1.0', id: 'a\u0001', source: 's', type: 't' }, 'id'],
  ])('refuses %s', (_name, event, attribute) => {
    const problems = refusal(() => read(JSON.stringify(event))).details?.['problems'];
    expect(problems).toEqual([expect.objectContaining({ attribute })]);
  });

  it('names the event in a batch and refuses the whole batch', () => {
    const good = { specversion: '1.0', id: '1', source: 's', type: 't' };
    const error = refusal(() =>
      read(JSON.stringify([good, { ...good, id: undefined }, { ...good, type: '' }])),
    );
    expect(error.details?.['problems']).toEqual([
      { event: 1, attribute: 'id', message: 'is required' },
      { event: 2, attribute: 'type', message: 'must not be empty' },
    ]);
  });

  it('refuses binary mode without its required headers and non-JSON under a JSON type', () => {
    const error = refusal(() => read('{oops', 'application/json', { 'ce-id': '1' }));
    expect((error.details?.['problems'] as { attribute: string }[]).map((p) => p.attribute)).toEqual([
      'specversion',
      'source',
      'type',
      'data',
    ]);
  });

  it('refuses malformed OSS records and AWS envelopes field by field', () => {
    const oss = refusal(() =>
      read(JSON.stringify({ events: [{ eventName: 'ObjectCreated:PutObject', eventTime: 'yesterday' }] })),
    );
    expect((oss.details?.['problems'] as { attribute: string }[]).map((p) => p.attribute)).toEqual([
      'region',
      'oss.bucket.name',
      'oss.bucket.ownerIdentity',
      'eventTime',
    ]);
    const aws = refusal(() => read(JSON.stringify({ 'detail-type': 'Object Created', source: 'aws.s3' })));
    expect((aws.details?.['problems'] as { attribute: string }[]).map((p) => p.attribute)).toEqual([
      'id',
      'detail',
      'region',
      'account',
    ]);
  });

  it('treats a body with specversion as a CloudEvent even when it looks like another shape', () => {
    const body = JSON.stringify({ specversion: '1.0', id: '1', source: 's', type: 't', 'detail-type': 'x' });
    expect(refusal(() => read(body)).details?.['problems']).toEqual([
      expect.objectContaining({ attribute: 'detail-type' }),
    ]);
  });

  it('answers 400 for broken JSON and 415 for bodies it cannot take', () => {
    expect(refusal(() => read('{"specversion":')).status).toBe(400);
    expect(refusal(() => read(Buffer.from([0x7b, 0xff, 0x7d]))).status).toBe(400);
    expect(refusal(() => read('<xml/>', 'text/xml')).status).toBe(415);
    expect(refusal(() => read('{}', 'application/json; charset=iso-8859-1')).status).toBe(415);
    expect(refusal(() => read('{}', '')).status).toBe(415);
    expect(refusal(() => read('{}', 'application/cloudevents-batch+json')).status).toBe(400);
  });

  it('accepts any spelling of UTF-8', () => {
    const body = '{"specversion":"1.0","id":"1","source":"s","type":"t"}';
    for (const contentType of [
      'application/json;charset=utf-8',
      'application/json; charset="UTF-8"',
      'application/json;CHARSET=utf8',
    ]) {
      expect(read(body, contentType).events).toHaveLength(1);
    }
  });
});
