import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqsSpyMessage } from 'fauxqs';
import {
  bundlePath,
  startProcess,
  startRecordingSink,
  waitFor,
  type AdapterProcess,
  type RecordingSink,
} from '@tributary/testkit';
import {
  metric,
  queueCounts,
  sendAll,
  sqsAdapterEnv,
  startQueueWorld,
  waitForEmptyQueue,
  type QueueWorld,
} from './queue-world.ts';

describe('sqs adapter when the sink fails', () => {
  let world: QueueWorld;
  let sink: RecordingSink;
  let proc: AdapterProcess | undefined;

  beforeEach(async () => {
    world = await startQueueWorld({ spyBuffer: 10_000 });
    sink = await startRecordingSink();
  });

  afterEach(async () => {
    await proc?.stop();
    await sink.close();
    await world.close();
  });

  it('redelivers through ChangeMessageVisibility after the first 500 requests failed, deleting only acknowledged messages', async () => {
    const { queueUrl } = world.server.createQueue('flaky');
    const ids = await sendAll(
      world.sqs,
      queueUrl,
      Array.from({ length: 300 }, (_, n) => ({ MessageBody: `message ${n}` })),
    );
    sink.faults.failNext(500, 503);
    const env = await sqsAdapterEnv(world, sink.url, {
      SQS_QUEUE_URL: queueUrl,
      K_SINK_RETRY: '1',
      // Far longer than the test: only the backoff (ChangeMessageVisibility) can bring failed messages back in time.
      SQS_VISIBILITY_TIMEOUT: '5m',
      SQS_RETRY_DELAY: '1s',
      SQS_RETRY_DELAY_MAX: '2s',
    });
    proc = startProcess(bundlePath('sqs'), env);
    await proc.waitForReady(Number(env.PORT));

    await waitFor(() => new Set(sink.events.map((event) => event.attributes['id'])).size === ids.length, {
      timeoutMs: 30_000,
      what: 'every message at the sink',
    });
    await waitForEmptyQueue(world.sqs, queueUrl);

    expect(sink.requestCount).toBeGreaterThanOrEqual(500 + ids.length);
    expect(new Set(sink.events.map((event) => event.attributes['id']))).toEqual(new Set(ids));
    // Every delete came after the sink accepted that message (fauxqs records each delete as "consumed").
    const consumed = world.server.spy
      .getAllMessages()
      .filter((m): m is SqsSpyMessage => m.service === 'sqs' && m.status === 'consumed');
    expect(new Set(consumed.map((m) => m.messageId))).toEqual(new Set(ids));
    const acceptedAt = new Map<string, number>();
    for (const event of sink.events) {
      const id = event.attributes['id'] as string;
      acceptedAt.set(id, Math.min(acceptedAt.get(id) ?? Infinity, event.receivedAt));
    }
    for (const deletion of consumed)
      expect(deletion.timestamp).toBeGreaterThanOrEqual(acceptedAt.get(deletion.messageId) ?? Infinity);
    expect(await metric(env, 'tributary_sqs_messages_returned_total')).toBeGreaterThan(0);
  });

  it('lets the redrive policy move poison messages to the dead-letter queue', async () => {
    const dlq = world.server.createQueue('poison-dlq');
    const { queueUrl } = world.server.createQueue('poison', {
      attributes: {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: 2 }),
      },
    });
    const ids = await sendAll(
      world.sqs,
      queueUrl,
      Array.from({ length: 5 }, (_, n) => ({ MessageBody: `poison ${n}` })),
    );
    sink.faults.alwaysFail(400);
    const env = await sqsAdapterEnv(world, sink.url, { SQS_QUEUE_URL: queueUrl, SQS_RETRY_DELAY: '0s' });
    proc = startProcess(bundlePath('sqs'), env);
    await proc.waitForReady(Number(env.PORT));

    await waitFor(async () => (await queueCounts(world.sqs, dlq.queueUrl)).visible === ids.length, {
      timeoutMs: 20_000,
      what: 'the poison messages in the DLQ',
    });
    await waitForEmptyQueue(world.sqs, queueUrl);
    expect(sink.events).toHaveLength(0);
    // A 400 is not retried by core: each message was tried once per receive, twice in all.
    expect(sink.requestCount).toBe(2 * ids.length);
    const inDlq = world.server.inspectQueue('poison-dlq')?.messages.ready.map((m) => m.messageId);
    expect(new Set(inDlq)).toEqual(new Set(ids));
  });
});
