import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundlePath,
  startProcess,
  startRecordingSink,
  type AdapterProcess,
  type RecordingSink,
} from '@tributary/testkit';
import {
  queueCounts,
  sendAll,
  sqsAdapterEnv,
  startQueueWorld,
  waitForEmptyQueue,
  type QueueWorld,
} from './queue-world.ts';

const COUNT = 5_000;

interface MessageData {
  Body: { order: number; note: string };
  Attributes: Record<string, string>;
  MD5OfBody: string;
  MD5OfMessageAttributes: string;
  MessageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  MessageId: string;
  ReceiptHandle: string;
}

describe('sqs adapter process drains a fauxqs queue into the sink', () => {
  let world: QueueWorld;
  let sink: RecordingSink;
  let proc: AdapterProcess;
  let queueUrl: string;
  let queueArn: string;
  let ids: string[];

  beforeAll(async () => {
    world = await startQueueWorld();
    ({ queueUrl, queueArn } = world.server.createQueue('orders'));
    ids = await sendAll(
      world.sqs,
      queueUrl,
      Array.from({ length: COUNT }, (_, order) => ({
        MessageBody: JSON.stringify({ order, note: 'café & "quotes"' }),
        MessageAttributes: {
          'Trace-Id': { DataType: 'String', StringValue: `trace ${order}` },
          Priority: { DataType: 'Number', StringValue: String(order % 7) },
          Blob: { DataType: 'Binary', BinaryValue: Buffer.from([order % 256, 1, 2]) },
        },
      })),
    );
    sink = await startRecordingSink();
  });

  afterAll(async () => {
    await proc?.stop();
    await sink?.close();
    await world?.close();
  });

  it(`delivers ${COUNT} messages as ${COUNT} events with the TriggerMesh contract and leaves the queue empty`, async () => {
    const env = await sqsAdapterEnv(world, sink.url, { SQS_QUEUE_URL: queueUrl });
    proc = startProcess(bundlePath('sqs'), env);
    await proc.waitForReady(Number(env.PORT));

    await sink.waitForEvents(COUNT, 60_000);
    await waitForEmptyQueue(world.sqs, queueUrl);

    const byId = new Map(sink.events.map((event) => [event.attributes['id'] as string, event]));
    expect(byId.size).toBe(COUNT);
    ids.forEach((messageId, order) => {
      const event = byId.get(messageId);
      expect(event, `event for message ${order}`).toBeDefined();
      const data = event!.json<MessageData>();
      expect(event!.attributes).toEqual({
        specversion: '1.0',
        id: messageId,
        source: queueArn,
        type: 'com.amazon.sqs.message',
        time: new Date(Number(data.Attributes['SentTimestamp'])).toISOString(),
        datacontenttype: 'application/json',
        sqsmsgtraceid: `trace ${order}`,
        sqsmsgpriority: String(order % 7),
      });
      expect(data.Body).toEqual({ order, note: 'café & "quotes"' });
      expect(data.MessageId).toBe(messageId);
      expect(data.MessageAttributes['Blob']).toEqual({
        DataType: 'Binary',
        BinaryValue: Buffer.from([order % 256, 1, 2]).toString('base64'),
      });
      expect(data.MessageAttributes['Trace-Id']).toEqual({
        DataType: 'String',
        StringValue: `trace ${order}`,
      });
      expect(data.Attributes['ApproximateReceiveCount']).toBe('1');
      expect(typeof data.ReceiptHandle).toBe('string');
    });
    expect(await queueCounts(world.sqs, queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(sink.events.every((event) => event.mode === 'binary')).toBe(true);
  });
});
