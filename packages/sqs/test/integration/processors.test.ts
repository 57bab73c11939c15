import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  bundlePath,
  fixturePath,
  startProcess,
  startRecordingSink,
  type AdapterProcess,
  type RecordingSink,
} from '@tributary/testkit';
import {
  sendAll,
  sqsAdapterEnv,
  startQueueWorld,
  waitForEmptyQueue,
  type QueueWorld,
} from './queue-world.ts';

const fixture = (name: string) => readFileSync(fixturePath('sqs', name), 'utf8');

describe('sqs adapter message processors and data modes', () => {
  let world: QueueWorld;
  let sink: RecordingSink;
  let proc: AdapterProcess | undefined;

  beforeAll(async () => {
    world = await startQueueWorld();
    sink = await startRecordingSink();
  });

  afterEach(async () => {
    await proc?.stop();
    sink.reset();
  });

  afterAll(async () => {
    await sink.close();
    await world.close();
  });

  async function drain(queue: string, bodies: string[], extra: Record<string, string>) {
    const { queueUrl, queueArn } = world.server.createQueue(queue);
    const ids = await sendAll(
      world.sqs,
      queueUrl,
      bodies.map((MessageBody) => ({ MessageBody })),
    );
    const env = await sqsAdapterEnv(world, sink.url, { SQS_QUEUE_URL: queueUrl, ...extra });
    proc = startProcess(bundlePath('sqs'), env);
    await proc.waitForReady(Number(env.PORT));
    await sink.waitForEvents(bodies.length, 15_000);
    await waitForEmptyQueue(world.sqs, queueUrl);
    const byType = (type: string) => sink.events.filter((event) => event.attributes['type'] === type);
    return { ids, queueArn, byType };
  }

  it('s3: unwraps S3 notifications and test events, falls back to the message event for anything else', async () => {
    const { ids, queueArn, byType } = await drain(
      's3-events',
      [fixture('s3-put-notification.json'), fixture('s3-test-event.json'), 'not from S3'],
      {
        SQS_MESSAGE_PROCESSOR: 's3',
      },
    );

    const [created] = byType('com.amazon.s3.objectcreated');
    expect(created?.attributes).toEqual({
      specversion: '1.0',
      id: ids[0],
      type: 'com.amazon.s3.objectcreated',
      source: 'arn:aws:s3:::mybucket',
      subject: 'HappyFace.jpg',
      time: '1970-01-01T00:00:00.000Z',
      datacontenttype: 'application/json',
    });
    expect(created?.json()).toEqual(JSON.parse(fixture('s3-put-notification.json')).Records[0]);

    const [test] = byType('com.amazon.s3.testevent');
    expect(test?.attributes).toEqual({
      specversion: '1.0',
      id: ids[1],
      type: 'com.amazon.s3.testevent',
      source: 'arn:aws:s3:::bucketname',
      time: '2014-10-13T15:57:02.089Z',
      datacontenttype: 'application/json',
    });
    expect(test?.json()).toEqual(JSON.parse(fixture('s3-test-event.json')));

    const [plain] = byType('com.amazon.sqs.message');
    expect(plain?.attributes['source']).toBe(queueArn);
    expect(plain?.attributes['id']).toBe(ids[2]);
    expect(plain?.json<{ Body: string }>().Body).toBe('not from S3');
  });

  it('eventbridge: unwraps EventBridge envelopes with their id, time and source/detail-type extensions', async () => {
    const busArn = 'arn:aws:events:us-east-1:123456789012:event-bus/default';
    const bodies = [
      fixture('eventbridge-s3-object-created.json'),
      fixture('eventbridge-ec2-state-change.json'),
      '{"not":"an envelope"}',
    ];
    const { ids, queueArn, byType } = await drain('eb-events', bodies, {
      SQS_MESSAGE_PROCESSOR: 'eventbridge',
      CE_SOURCE: busArn,
    });

    const events = byType('com.amazon.events.event');
    expect(
      events.map((event) => event.attributes).sort((a, b) => String(a['id']).localeCompare(String(b['id']))),
    ).toEqual([
      {
        specversion: '1.0',
        id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
        type: 'com.amazon.events.event',
        source: busArn,
        time: '2017-12-22T18:43:48Z',
        datacontenttype: 'application/json',
        awseventssource: 'aws.ec2',
        awseventsdetailtype: 'EC2 Instance State-change Notification',
      },
      {
        specversion: '1.0',
        id: '6c540ad4-0671-9974-6511-756fbd7771c3',
        type: 'com.amazon.events.event',
        source: busArn,
        time: '2022-02-19T01:36:58Z',
        datacontenttype: 'application/json',
        awseventssource: 'aws.s3',
        awseventsdetailtype: 'Object Created',
      },
    ]);
    const s3Event = events.find((event) => event.attributes['awseventssource'] === 'aws.s3');
    expect(s3Event?.json()).toEqual(JSON.parse(bodies[0] as string));

    const [plain] = byType('com.amazon.sqs.message');
    expect(plain?.attributes['source']).toBe(queueArn);
    expect(plain?.attributes['id']).toBe(ids[2]);
    expect(plain?.json<{ Body: unknown }>().Body).toEqual({ not: 'an envelope' });
  });

  it('SQS_DATA_MODE=body: the body alone, as JSON when it is JSON, else as text (SDK on the main thread)', async () => {
    const { ids, byType } = await drain('bodies', ['{"big":12345678901234567890}', 'plain text'], {
      SQS_DATA_MODE: 'body',
      SQS_IO_THREAD: 'false',
    });
    const events = byType('com.amazon.sqs.message');
    const json = events.find((event) => event.attributes['id'] === ids[0]);
    const text = events.find((event) => event.attributes['id'] === ids[1]);
    expect(json?.attributes['datacontenttype']).toBe('application/json');
    // Sent verbatim: a number beyond double precision survives.
    expect(json?.text()).toBe('{"big":12345678901234567890}');
    expect(text?.attributes['datacontenttype']).toBe('text/plain; charset=utf-8');
    expect(text?.text()).toBe('plain text');
    expect(proc?.logs.find((line) => line['msg'] === 'draining queue')?.['ioThread']).toBe(false);
  });
});
