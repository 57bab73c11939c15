import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_BATCH } from './batcher.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { SqsMetrics } from './metrics.ts';
import type { QueueIo } from './queue-io.ts';
import { toReceived, type Received } from './received.ts';
import type { UpstreamHealth } from './upstream-health.ts';
import type { VisibilityKeeper } from './visibility-keeper.ts';

export interface ReceiverDeps {
  readonly io: QueueIo;
  readonly queueUrl: string;
  readonly fifo: boolean;
  readonly visibilitySeconds: number;
  readonly waitTimeSeconds: number;
  readonly dispatcher: Dispatcher;
  readonly keeper: VisibilityKeeper;
  readonly health: UpstreamHealth;
  /** Hands messages straight back to the queue (visibility 0). */
  readonly release: (messages: readonly Received[]) => void;
  readonly metrics: SqsMetrics;
  readonly signal: AbortSignal;
}

/** Pause after an empty short poll (SQS_WAIT_TIME_SECONDS=0), so an idle queue is not polled in a tight loop. */
const EMPTY_SHORT_POLL_PAUSE_MS = 1_000;

/**
 * One long-poll loop: wait for room, receive up to 10, hand them to the dispatcher. Several run
 * in parallel (SQS_RECEIVERS). TriggerMesh sleeps 3 s after an empty receive; with long polling
 * the wait is already on the server, so the next poll goes out at once.
 */
export async function runReceiver(deps: ReceiverDeps): Promise<void> {
  const { dispatcher, signal } = deps;
  let failures = 0;
  for (;;) {
    const room = await dispatcher.reserve(MAX_BATCH, signal);
    if (room === 0) return;
    const requestedAt = Date.now();
    let received: Received[];
    try {
      received = await receive(deps, room, requestedAt);
    } catch (error) {
      dispatcher.push([], room);
      if (signal.aborted) return;
      deps.health.down('ReceiveMessage failed', error);
      failures++;
      if (!(await pause(Math.min(500 * 2 ** (failures - 1), 5_000), signal))) return;
      continue;
    }
    failures = 0;
    deps.health.up();
    deps.metrics.received.inc(received.length);
    for (const message of received) deps.keeper.hold(message);
    if (signal.aborted) {
      // Shutdown began while this poll was out: these were never started, so they go straight back.
      dispatcher.push([], room);
      deps.release(received);
      return;
    }
    dispatcher.push(received, room);
    if (
      received.length === 0 &&
      deps.waitTimeSeconds === 0 &&
      !(await pause(EMPTY_SHORT_POLL_PAUSE_MS, signal))
    )
      return;
  }
}

/** Resolves false when shutdown interrupted the pause. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

async function receive(deps: ReceiverDeps, max: number, requestedAt: number): Promise<Received[]> {
  deps.metrics.calls.labels('ReceiveMessage').inc();
  const output = await deps.io.call(
    'ReceiveMessage',
    {
      QueueUrl: deps.queueUrl,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: deps.waitTimeSeconds,
      VisibilityTimeout: deps.visibilitySeconds,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    },
    deps.signal,
  );
  return (output.Messages ?? []).map((message) =>
    toReceived(message, requestedAt, deps.visibilitySeconds, deps.fifo),
  );
}
