import { setTimeout as sleep } from 'node:timers/promises';
import type { AdapterContext, Logger } from '@tributary/core';
import { Batcher, MAX_BATCH } from './batcher.ts';
import type { SqsConfig } from './config.ts';
import { Dispatcher } from './dispatcher.ts';
import { MessageLifecycle } from './message-lifecycle.ts';
import { sqsMetrics, type SqsMetrics } from './metrics.ts';
import { messageProcessor } from './processors.ts';
import { runReceiver } from './receiver.ts';
import { directQueueIo, workerQueueIo, type QueueIo } from './queue-io.ts';
import {
  changeVisibilityBatch,
  createSqsClient,
  deleteBatch,
  queueFacts,
  type QueueFacts,
} from './sqs-client.ts';
import { UpstreamHealth } from './upstream-health.ts';
import { VisibilityKeeper } from './visibility-keeper.ts';

/** How long a delete waits for nine more to share its DeleteMessageBatch call. */
const DELETE_FLUSH_MS = 50;
const VISIBILITY_FLUSH_MS = 10;
/** Used when neither SQS_VISIBILITY_TIMEOUT nor the queue gives a usable one (a queue set to 0). */
const FALLBACK_VISIBILITY_SECONDS = 30;

/**
 * The adapter's `start`: find the queue (not ready until it answers), run the receivers, and on
 * SIGTERM stop polling, hand back what was received but not started, finish in-flight deliveries,
 * flush the deletes and return (docs/contracts.md §1 shutdown, issue "Shutdown").
 *
 * `ioThreadEntry` is the script that serves the SQS I/O thread (the bundle's main); without it, or
 * with SQS_IO_THREAD=false, SQS calls run on this thread.
 */
export async function runSqsSource(ctx: AdapterContext<SqsConfig>, ioThreadEntry?: URL): Promise<void> {
  const { config, logger, signal } = ctx;
  const io =
    config.ioThread && ioThreadEntry
      ? workerQueueIo(config, ioThreadEntry)
      : directQueueIo(createSqsClient(config));
  const health = new UpstreamHealth(ctx.setReady, logger);
  const work = async () => {
    const facts = await connect(io, config.queue.url, health, signal);
    if (facts !== undefined) await drain(ctx, io, facts, health, sqsMetrics(ctx.metrics));
  };
  const running = work();
  // Settled through the race below; this only keeps a late rejection from counting as unhandled.
  running.catch(() => {});
  try {
    // A dead I/O thread fails the adapter (exit 1, the pod restarts); unacknowledged messages reappear.
    await Promise.race([running, io.failed]);
  } finally {
    await io.close();
  }
}

async function drain(
  ctx: AdapterContext<SqsConfig>,
  io: QueueIo,
  facts: QueueFacts,
  health: UpstreamHealth,
  metrics: SqsMetrics,
) {
  const { config, logger, signal } = ctx;
  const queueUrl = config.queue.url;
  const visibilitySeconds =
    config.visibilityTimeoutSeconds ?? (facts.visibilitySeconds || FALLBACK_VISIBILITY_SECONDS);
  const fifo = facts.fifo || config.queue.fifo;
  const source = facts.arn ?? config.queue.arn;
  logger.info(
    {
      queueUrl,
      source,
      fifo,
      visibilitySeconds,
      receivers: config.receivers,
      maxInFlight: config.maxInFlight,
      processor: config.processor,
      ioThread: config.ioThread,
    },
    'draining queue',
  );

  const { deleter, visibility } = batchedActions(io, queueUrl, logger, metrics);
  const keeper = new VisibilityKeeper({
    visibilitySeconds,
    extend: (received, seconds) => visibility.add({ receiptHandle: received.receiptHandle, seconds }),
    onExtended: (count) => metrics.extended.inc(count),
    onCheck: (held) => metrics.held.set(held),
  });
  const lifecycle = new MessageLifecycle({
    emit: ctx.emit,
    process: messageProcessor(config, source),
    deleter,
    visibility,
    keeper,
    fifo,
    retryDelaySeconds: config.retryDelaySeconds,
    retryDelayMaxSeconds: config.retryDelayMaxSeconds,
    logger,
    metrics,
    tracing: ctx.tracing,
    queueName: config.queue.name,
  });
  const dispatcher = new Dispatcher({
    maxInFlight: config.maxInFlight,
    prefetch: config.receivers * MAX_BATCH,
    deliver: lifecycle.deliver,
  });
  lifecycle.attach(dispatcher);

  const receiverDeps = {
    io,
    queueUrl,
    fifo,
    visibilitySeconds,
    waitTimeSeconds: config.waitTimeSeconds,
    dispatcher,
    keeper,
    health,
    metrics,
    signal,
  };
  await Promise.all(
    Array.from({ length: config.receivers }, () =>
      runReceiver({ ...receiverDeps, release: (messages) => lifecycle.release(messages) }),
    ),
  );

  const unstarted = dispatcher.takeAllPending();
  logger.info(
    { delivering: dispatcher.active, releasing: unstarted.length },
    'polling stopped; finishing in-flight deliveries',
  );
  lifecycle.release(unstarted);
  await dispatcher.idle();
  await Promise.all([deleter.drain(), visibility.drain()]);
  keeper.stop();
  logger.info('in-flight deliveries finished and deletes flushed');
}

/** GetQueueAttributes until it answers; undefined when shutdown came first. */
async function connect(
  io: QueueIo,
  queueUrl: string,
  health: UpstreamHealth,
  signal: AbortSignal,
): Promise<QueueFacts | undefined> {
  for (let failures = 0; !signal.aborted; failures++) {
    try {
      const facts = await queueFacts(io, queueUrl, signal);
      health.up();
      return facts;
    } catch (error) {
      if (signal.aborted) return undefined;
      health.down('GetQueueAttributes failed', error);
    }
    try {
      await sleep(Math.min(500 * 2 ** failures, 5_000), undefined, { signal });
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** DeleteMessageBatch and ChangeMessageVisibilityBatch behind batchers, counted and logged. */
function batchedActions(io: QueueIo, queueUrl: string, logger: Logger, metrics: SqsMetrics) {
  return {
    deleter: new Batcher({
      send: counted(metrics, 'DeleteMessageBatch', deleteBatch(io, queueUrl)),
      flushDelayMs: DELETE_FLUSH_MS,
      onGiveUp: giveUp(logger, metrics, 'delete'),
    }),
    visibility: new Batcher({
      send: counted(metrics, 'ChangeMessageVisibilityBatch', changeVisibilityBatch(io, queueUrl)),
      flushDelayMs: VISIBILITY_FLUSH_MS,
      onGiveUp: giveUp(logger, metrics, 'change_visibility'),
    }),
  };
}

function counted<E, R>(metrics: SqsMetrics, action: string, send: (entries: readonly E[]) => Promise<R>) {
  const calls = metrics.calls.labels(action);
  return (entries: readonly E[]) => {
    calls.inc();
    return send(entries);
  };
}

function giveUp(logger: Logger, metrics: SqsMetrics, action: 'delete' | 'change_visibility') {
  return (entry: { receiptHandle: string }, reason: string) => {
    metrics.actionFailed.labels(action).inc();
    logger.warn(
      { action, reason, receiptHandle: entry.receiptHandle.slice(0, 16) },
      'SQS did not apply a batch entry; the message reappears after its visibility timeout',
    );
  };
}
