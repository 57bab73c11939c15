import { readFileSync } from 'node:fs';
import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@tributary/testkit';
import { messageProcessor } from '../../src/processors.ts';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:bus-queue';
const BUS_ARN = 'arn:aws:events:us-east-1:123456789012:event-bus/default';
const body = (name: string) => readFileSync(fixturePath('sqs', name), 'utf8');
const message = (text: string): Message => ({
  MessageId: 'msg-1',
  Body: text,
  Attributes: { SentTimestamp: '1645234619000' },
});

describe('eventbridge processor', () => {
  const eventbridge = messageProcessor(
    { processor: 'eventbridge', dataMode: 'message', eventBridgeSource: BUS_ARN },
    QUEUE_ARN,
  );

  it('unwraps an S3 "Object Created" envelope: id and time from the envelope, the envelope as data', () => {
    const envelope = body('eventbridge-s3-object-created.json');
    expect(eventbridge(message(envelope))).toEqual([
      {
        id: '6c540ad4-0671-9974-6511-756fbd7771c3',
        type: 'com.amazon.events.event',
        source: BUS_ARN,
        time: '2022-02-19T01:36:58Z',
        datacontenttype: 'application/json',
        data: envelope.trim(),
        extensions: { awseventssource: 'aws.s3', awseventsdetailtype: 'Object Created' },
      },
    ]);
  });

  it('unwraps an EC2 state-change envelope', () => {
    const [event] = eventbridge(message(body('eventbridge-ec2-state-change.json')));
    expect(event).toMatchObject({
      id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      time: '2017-12-22T18:43:48Z',
      extensions: {
        awseventssource: 'aws.ec2',
        awseventsdetailtype: 'EC2 Instance State-change Notification',
      },
    });
  });

  it('uses the queue ARN as source without CE_SOURCE, and the message id and SentTimestamp when the envelope lacks them', () => {
    const bare = messageProcessor(
      { processor: 'eventbridge', dataMode: 'message', eventBridgeSource: undefined },
      QUEUE_ARN,
    );
    const [event] = bare(message('{"source":"my.app","detail-type":"Thing","detail":{}}'));
    expect(event).toMatchObject({ id: 'msg-1', source: QUEUE_ARN, time: '2022-02-19T01:36:59.000Z' });
  });

  it.each([
    ['text', 'hello'],
    ['an object that is not an envelope', '{"detail":{}}'],
  ])('falls back to the plain message event for %s', (_, text) => {
    const [event] = eventbridge(message(text));
    expect(event).toMatchObject({ id: 'msg-1', type: 'com.amazon.sqs.message', source: QUEUE_ARN });
  });
});
