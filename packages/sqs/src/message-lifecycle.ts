import { DeliveryError, type ActiveSpan, type CloudEvent, type Logger, type Tracing } from '@tributary/core';
import type { Batcher } from './batcher.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { SqsMetrics } from './metrics.ts';
import type { MessageProcessor } from './processors.ts';
import type { Received } from './received.ts';
import type { HandleEntry, VisibilityEntry } from './sqs-client.ts';
import { messageTraceContext } from './trace-context.ts';
import type { VisibilityKeeper } from './visibility-keeper.ts';

export interface LifecycleDeps {
  readonly emit: (event: CloudEvent) => Promise<void>;
  readonly process: MessageProcessor;
  readonly deleter: Batcher<HandleEntry>;
  readonly visibility: Batcher<VisibilityEntry>;
  readonly keeper: VisibilityKeeper;
  readonly fifo: boolean;
  readonly retryDelaySeconds: number;
  readonly retryDelayMaxSeconds: number;
  readonly logger: Logger;
  readonly metrics: SqsMetrics;
  readonly tracing: Tracing;
  /** The queue's name, for the consumer span (`process <queue>`). */
  readonly queueName: string;
}

/**
 * What happens to a message once the dispatcher starts it: its events go to the sink; only when
 * the sink accepted every one is the message deleted (batched). A failure hands it back to the
 * queue after a backoff that grows with its receive count, instead of leaving it to wait out the
 * whole visibility timeout; the queue's redrive policy then moves a poison message to its DLQ.
 */
export class MessageLifecycle {
  readonly #deps: LifecycleDeps;
  #dispatcher: Dispatcher | undefined;

  constructor(deps: LifecycleDeps) {
    this.#deps = deps;
  }

  /** The dispatcher is built with `deliver`, so it is attached afterwards. */
  attach(dispatcher: Dispatcher): void {
    this.#dispatcher = dispatcher;
  }

  readonly deliver = (received: Received): Promise<void> => {
    const { tracing, queueName } = this.#deps;
    if (!tracing.enabled) return this.#deliver(received, undefined);
    // A consumer span per message (OpenTelemetry messaging conventions, `process` operation),
    // continuing the sender's trace when the message carries one.
    return tracing.inSpan(
      `process ${queueName}`,
      {
        kind: 'consumer',
        parent: messageTraceContext(received.message),
        attributes: {
          'messaging.system': 'aws_sqs',
          'messaging.operation.type': 'process',
          'messaging.operation.name': 'process',
          'messaging.destination.name': queueName,
          'messaging.message.id': received.id,
        },
      },
      (span) => this.#deliver(received, span),
    );
  };

  async #deliver(received: Received, span: ActiveSpan | undefined): Promise<void> {
    try {
      for (const event of this.#deps.process(received.message)) await this.#deps.emit(event);
    } catch (error) {
      span?.fail((error as DeliveryError).code ?? 'delivery_failed');
      this.#failed(received, error);
      return;
    }
    this.#acknowledge(received);
  }

  /** Hands never-started messages straight back (shutdown): visibility 0, no backoff. */
  release(messages: readonly Received[]): void {
    if (messages.length === 0) return;
    this.#deps.metrics.returned.labels('shutdown').inc(messages.length);
    for (const received of messages) this.#setVisibility(received, 0);
    this.#deps.visibility.flush();
  }

  #acknowledge(received: Received): void {
    const { deleter, keeper, metrics } = this.#deps;
    void deleter.add(received).then((applied) => {
      keeper.release(received);
      if (applied) metrics.deleted.inc();
    });
    // SQS keeps a FIFO group locked until its received messages are deleted: do not make it wait.
    if (this.#deps.fifo && !this.#dispatcher?.hasPending(received.group)) deleter.flush();
  }

  #failed(received: Received, error: unknown): void {
    // The group's later messages go back with this one, so they cannot overtake it (FIFO order).
    const followers = this.#dispatcher?.takeGroup(received.group) ?? [];
    const shuttingDown = error instanceof DeliveryError && error.code === 'CLIENT_CLOSED';
    if (shuttingDown) {
      this.release([received, ...followers]);
      return;
    }
    const seconds = this.#backoffSeconds(received.receiveCount);
    this.#deps.logger.warn(
      {
        messageId: received.id,
        receiveCount: received.receiveCount,
        retryInSeconds: seconds,
        code: (error as DeliveryError).code,
        err: error,
      },
      'delivery failed; the message returns to the queue after a backoff',
    );
    this.#deps.metrics.returned.labels('delivery_failed').inc(1 + followers.length);
    for (const message of [received, ...followers]) this.#setVisibility(message, seconds);
    if (this.#deps.fifo) this.#deps.visibility.flush();
  }

  #setVisibility(received: Received, seconds: number): void {
    void this.#deps.visibility
      .add({ receiptHandle: received.receiptHandle, seconds })
      .then(() => this.#deps.keeper.release(received));
  }

  /** SQS_RETRY_DELAY doubled per earlier receive, capped at SQS_RETRY_DELAY_MAX. */
  #backoffSeconds(receiveCount: number): number {
    const { retryDelaySeconds, retryDelayMaxSeconds } = this.#deps;
    return Math.min(retryDelaySeconds * 2 ** Math.min(receiveCount - 1, 30), retryDelayMaxSeconds);
  }
}
