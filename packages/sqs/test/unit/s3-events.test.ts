import { readFileSync } from 'node:fs';
import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@tributary/testkit';
import { messageProcessor } from '../../src/processors.ts';
import { rfc3339, s3Events } from '../../src/s3-events.ts';

const QUEUE_ARN = 'arn:aws:sqs:us-west-2:123456789012:uploads';
const body = (name: string) => readFileSync(fixturePath('sqs', name), 'utf8');
const message = (text: string): Message => ({
  MessageId: 'msg-1',
  Body: text,
  Attributes: { SentTimestamp: '1442428276921' },
});
const s3 = messageProcessor(
  { processor: 's3', dataMode: 'message', eventBridgeSource: undefined },
  QUEUE_ARN,
);

describe('s3 processor', () => {
  it('turns an S3 ObjectCreated:Put notification into a com.amazon.s3.objectcreated event', () => {
    const put = body('s3-put-notification.json');
    expect(s3(message(put))).toEqual([
      {
        id: 'msg-1',
        type: 'com.amazon.s3.objectcreated',
        source: 'arn:aws:s3:::mybucket',
        subject: 'HappyFace.jpg',
        time: '1970-01-01T00:00:00.000Z',
        datacontenttype: 'application/json',
        data: JSON.parse(put).Records[0],
      },
    ]);
  });

  it('makes one event per record, with ids that stay the same when the message is redelivered', () => {
    const record = JSON.parse(body('s3-put-notification.json')).Records[0];
    const removed = {
      ...record,
      eventName: 'ObjectRemoved:DeleteMarkerCreated',
      s3: { ...record.s3, object: { key: 'Old+Face.jpg' } },
    };
    const events = s3(message(JSON.stringify({ Records: [record, removed] })));
    expect(events.map((event) => [event.id, event.type, event.subject])).toEqual([
      ['msg-1-0', 'com.amazon.s3.objectcreated', 'HappyFace.jpg'],
      ['msg-1-1', 'com.amazon.s3.objectremoved', 'Old+Face.jpg'],
    ]);
  });

  it('turns the S3 test event into com.amazon.s3.testevent from the bucket', () => {
    const test = body('s3-test-event.json');
    expect(s3(message(test))).toEqual([
      {
        id: 'msg-1',
        type: 'com.amazon.s3.testevent',
        source: 'arn:aws:s3:::bucketname',
        time: '2014-10-13T15:57:02.089Z',
        datacontenttype: 'application/json',
        data: test.trim(),
      },
    ]);
  });

  it.each([
    ['text', 'hello'],
    ['JSON that is not an object', '[1,2]'],
    ['an object without Records', '{"Records":[]}'],
    ['records that are not S3 records', '{"Records":[{"eventName":"x"}]}'],
  ])('falls back to the plain message event for %s', (_, text) => {
    const [event] = s3(message(text));
    expect(event).toMatchObject({ id: 'msg-1', type: 'com.amazon.sqs.message', source: QUEUE_ARN });
    expect(s3Events(message(text), undefined)).toBeUndefined();
  });
});

describe('rfc3339', () => {
  it.each([
    ['2014-10-13T15:57:02.089Z', true],
    ['2017-12-22T18:43:48Z', true],
    ['2020-01-01T00:00:00+08:00', true],
    ['2020-08-17T16:04:46.149Asia/Shanghai', false],
    ['yesterday', false],
    [42, false],
  ])('%j → %s', (value, valid) => {
    expect(rfc3339(value) !== undefined).toBe(valid);
  });
});
