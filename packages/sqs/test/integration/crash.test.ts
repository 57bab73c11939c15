import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundlePath,
  startProcess,
  startRecordingSink,
  waitFor,
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

describe('sqs adapter killed with SIGKILL mid-run', () => {
  let world: QueueWorld;
  let sink: RecordingSink;
  const procs: AdapterProcess[] = [];

  beforeAll(async () => {
    world = await startQueueWorld();
    sink = await startRecordingSink();
  });

  afterAll(async () => {
    await Promise.all(procs.map((proc) => proc.stop()));
    await sink.close();
    await world.close();
  });

  it('loses nothing: after a restart every message arrives at least once and the queue ends empty', async () => {
    const { queueUrl } = world.server.createQueue('crashy');
    const ids = await sendAll(
      world.sqs,
      queueUrl,
      Array.from({ length: 1_000 }, (_, n) => ({ MessageBody: JSON.stringify({ n }) })),
    );
    // A slow sink keeps deliveries in flight when the kill lands.
    sink.faults.delay(20);
    const env = await sqsAdapterEnv(world, sink.url, {
      SQS_QUEUE_URL: queueUrl,
      SQS_VISIBILITY_TIMEOUT: '2s',
    });

    const first = startProcess(bundlePath('sqs'), env);
    procs.push(first);
    await first.waitForReady(Number(env.PORT));
    await sink.waitForEvents(200, 20_000);
    first.signal('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const beforeRestart = new Set(sink.events.map((event) => event.attributes['id'])).size;
    expect(beforeRestart).toBeLessThan(ids.length);

    sink.faults.delay(0);
    const second = startProcess(bundlePath('sqs'), env);
    procs.push(second);
    await second.waitForReady(Number(env.PORT));
    await waitFor(() => new Set(sink.events.map((event) => event.attributes['id'])).size === ids.length, {
      timeoutMs: 30_000,
      what: 'every message at the sink',
    });
    await waitForEmptyQueue(world.sqs, queueUrl);
    expect(new Set(sink.events.map((event) => event.attributes['id']))).toEqual(new Set(ids));
  });
});
