import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundlePath,
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

const GROUPS = ['alpha', 'beta', 'gamma'];
const PER_GROUP = 200;

describe('sqs adapter on a FIFO queue', () => {
  let world: QueueWorld;
  let sink: RecordingSink;
  let proc: AdapterProcess;

  beforeAll(async () => {
    world = await startQueueWorld();
    sink = await startRecordingSink();
  });

  afterAll(async () => {
    await proc?.stop();
    await sink.close();
    await world.close();
  });

  it(`delivers ${GROUPS.length} groups × ${PER_GROUP} messages in order within each group, through sink failures`, async () => {
    const { queueUrl } = world.server.createQueue('orders.fifo', {
      attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
    });
    // Groups interleaved, each group's messages in sequence order.
    const entries = Array.from({ length: PER_GROUP }, (_, seq) =>
      GROUPS.map((group) => ({ MessageBody: JSON.stringify({ group, seq }), MessageGroupId: group })),
    ).flat();
    for (let start = 0; start < entries.length; start += 10)
      await sendAll(world.sqs, queueUrl, entries.slice(start, start + 10));
    // Failed deliveries go back to the queue; their group must not move on without them.
    sink.faults.failNext(40, 503);
    const env = await sqsAdapterEnv(world, sink.url, {
      SQS_QUEUE_URL: queueUrl,
      K_SINK_RETRY: '0',
      SQS_RETRY_DELAY: '0s',
    });
    proc = startProcess(bundlePath('sqs'), env);
    await proc.waitForReady(Number(env.PORT));

    await sink.waitForEvents(entries.length, 30_000);
    await waitForEmptyQueue(world.sqs, queueUrl);

    expect(sink.requestCount).toBe(entries.length + 40);
    for (const group of GROUPS) {
      const order = sink.events
        .map((event) => event.json<{ Body: { group: string; seq: number } }>().Body)
        .filter((body) => body.group === group);
      expect(order.map((body) => body.seq)).toEqual(Array.from({ length: PER_GROUP }, (_, seq) => seq));
    }
  });
});
