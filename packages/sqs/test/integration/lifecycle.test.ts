import { afterEach, describe, expect, it } from 'vitest';
import {
  bundlePath,
  freePort,
  startProcess,
  startRecordingSink,
  waitFor,
  type AdapterEnv,
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

async function readiness(env: AdapterEnv): Promise<{ status: number; reasons: string[] }> {
  const response = await fetch(`http://127.0.0.1:${env.PORT}/readyz`);
  return { status: response.status, reasons: ((await response.json()) as { reasons: string[] }).reasons };
}

describe('sqs adapter lifecycle', () => {
  let world: QueueWorld | undefined;
  let sink: RecordingSink | undefined;
  let proc: AdapterProcess | undefined;

  afterEach(async () => {
    await proc?.stop();
    await sink?.close();
    await world?.close();
    proc = sink = world = undefined;
  });

  it('is not ready while the queue is unreachable, ready once it answers, and not ready again when it goes away', async () => {
    const port = await freePort();
    sink = await startRecordingSink();
    const queueUrl = `http://sqs.us-east-1.localhost:${port}/000000000000/later`;
    const env = await sqsAdapterEnv(
      { server: { address: `http://127.0.0.1:${port}` } } as QueueWorld,
      sink.url,
      { SQS_QUEUE_URL: queueUrl },
    );
    proc = startProcess(bundlePath('sqs'), env);

    await waitFor(
      async () => (await readiness(env).catch(() => ({ status: 0, reasons: [] }))).status === 503,
      { what: 'a 503 from /readyz' },
    );
    await waitFor(
      async () =>
        (await readiness(env)).reasons.some((reason) => reason.startsWith('GetQueueAttributes failed')),
      {
        what: 'the unreachable queue as the reason',
      },
    );

    world = await startQueueWorld({ port });
    world.server.createQueue('later');
    await proc.waitForReady(Number(env.PORT), 15_000);
    await sendAll(world.sqs, queueUrl, [{ MessageBody: 'hello' }]);
    await sink.waitForEvents(1);

    await world.close();
    world = undefined;
    await waitFor(
      async () => (await readiness(env)).reasons.some((reason) => reason.startsWith('ReceiveMessage failed')),
      {
        timeoutMs: 15_000,
        what: 'failing receives as the reason',
      },
    );
    expect((await readiness(env)).status).toBe(503);
  });

  it('on SIGTERM finishes in-flight deliveries, deletes them, hands unstarted messages back at once and exits 0', async () => {
    world = await startQueueWorld();
    sink = await startRecordingSink();
    const { queueUrl } = world.server.createQueue('draining');
    await sendAll(
      world.sqs,
      queueUrl,
      Array.from({ length: 30 }, (_, n) => ({ MessageBody: `m${n}` })),
    );
    sink.faults.delay(1_500);
    const env = await sqsAdapterEnv(world, sink.url, {
      SQS_QUEUE_URL: queueUrl,
      SQS_MAX_INFLIGHT: '5',
      SQS_RECEIVERS: '1',
    });
    proc = startProcess(bundlePath('sqs'), env);
    await proc.waitForReady(Number(env.PORT));
    // One batch of 10: 5 delivering, 5 waiting; no room for another full batch, so the receiver waits.
    await waitFor(
      async () =>
        sink!.requestCount === 5 && (await metric(env, 'tributary_sqs_messages_received_total')) === 10,
      {
        what: '5 deliveries under way and 5 more received',
      },
    );

    proc.signal('SIGTERM');
    expect((await proc.exited).code).toBe(0);

    expect(sink.events).toHaveLength(5);
    // Released with visibility 0: visible again immediately, not after the 30 s timeout.
    expect(await queueCounts(world.sqs, queueUrl)).toEqual({ visible: 25, inFlight: 0, delayed: 0 });
    const left = world.server.inspectQueue('draining')?.messages.ready.map((m) => m.body) ?? [];
    const delivered = sink.events.map((event) => event.json<{ Body: string }>().Body);
    expect(new Set([...left, ...delivered])).toEqual(new Set(Array.from({ length: 30 }, (_, n) => `m${n}`)));
  });

  it('extends the visibility of a delivery that outlasts the timeout, so it is not delivered twice in parallel', async () => {
    world = await startQueueWorld();
    sink = await startRecordingSink();
    const { queueUrl } = world.server.createQueue('slow');
    await sendAll(
      world.sqs,
      queueUrl,
      Array.from({ length: 3 }, (_, n) => ({ MessageBody: `slow ${n}` })),
    );
    // Each delivery takes 4.5 s against a 3 s visibility timeout.
    sink.faults.delay(4_500);
    const env = await sqsAdapterEnv(world, sink.url, {
      SQS_QUEUE_URL: queueUrl,
      SQS_VISIBILITY_TIMEOUT: '3s',
      K_SINK_TIMEOUT: '20',
    });
    proc = startProcess(bundlePath('sqs'), env);
    await proc.waitForReady(Number(env.PORT));

    await sink.waitForEvents(3, 15_000);
    await waitForEmptyQueue(world.sqs, queueUrl);
    // A message that had reappeared after 3 s would have been sent again long before the first send finished.
    expect(sink.requestCount).toBe(3);
    expect(await metric(env, 'tributary_sqs_visibility_extensions_total')).toBeGreaterThanOrEqual(3);
  });
});
