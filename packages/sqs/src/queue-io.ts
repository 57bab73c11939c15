import { Worker } from 'node:worker_threads';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type ChangeMessageVisibilityBatchRequest,
  type ChangeMessageVisibilityBatchResult,
  type DeleteMessageBatchRequest,
  type DeleteMessageBatchResult,
  type GetQueueAttributesRequest,
  type GetQueueAttributesResult,
  type ReceiveMessageRequest,
  type ReceiveMessageResult,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SqsConfig } from './config.ts';

/** The four SQS actions the adapter uses, by name, so they can be called across a thread boundary. */
export interface QueueActions {
  ReceiveMessage: [ReceiveMessageRequest, ReceiveMessageResult];
  DeleteMessageBatch: [DeleteMessageBatchRequest, DeleteMessageBatchResult];
  ChangeMessageVisibilityBatch: [ChangeMessageVisibilityBatchRequest, ChangeMessageVisibilityBatchResult];
  GetQueueAttributes: [GetQueueAttributesRequest, GetQueueAttributesResult];
}
export type QueueAction = keyof QueueActions;

export interface QueueIo {
  call<A extends QueueAction>(
    action: A,
    input: QueueActions[A][0],
    signal?: AbortSignal,
  ): Promise<QueueActions[A][1]>;
  /** Rejects if the I/O machinery itself dies (the worker thread crashed); never settles otherwise. */
  readonly failed: Promise<never>;
  close(): Promise<void>;
}

const COMMANDS = {
  ReceiveMessage: ReceiveMessageCommand,
  DeleteMessageBatch: DeleteMessageBatchCommand,
  ChangeMessageVisibilityBatch: ChangeMessageVisibilityBatchCommand,
  GetQueueAttributes: GetQueueAttributesCommand,
} as const;

/** Runs one action on an SDK client. */
export function callSqs<A extends QueueAction>(
  client: SQSClient,
  action: A,
  input: QueueActions[A][0],
  signal?: AbortSignal,
): Promise<QueueActions[A][1]> {
  const Command = COMMANDS[action] as unknown as new (
    input: QueueActions[A][0],
  ) => Parameters<SQSClient['send']>[0];
  return client.send(new Command(input), signal ? { abortSignal: signal } : {}) as Promise<
    QueueActions[A][1]
  >;
}

/** Calls on this thread's client. */
export function directQueueIo(client: SQSClient): QueueIo {
  return {
    call: (action, input, signal) => callSqs(client, action, input, signal),
    failed: new Promise<never>(() => {}),
    close: async () => client.destroy(),
  };
}

/** What the I/O thread needs to build its client (a structured-clone-able part of SqsConfig). */
export type QueueIoConfig = Pick<
  SqsConfig,
  'region' | 'endpoint' | 'receivers' | 'waitTimeSeconds' | 'assumeRoleArn'
>;
export const QUEUE_IO_ROLE = 'tributary-sqs-io';

export type IoRequest =
  | { readonly kind: 'call'; readonly id: number; readonly action: QueueAction; readonly input: unknown }
  | { readonly kind: 'abort'; readonly id: number }
  | { readonly kind: 'close' };
export type IoReply =
  | { readonly id: number; readonly output: unknown }
  | { readonly id: number; readonly error: SerializedError };
export interface SerializedError {
  readonly name: string;
  readonly message: string;
}

/**
 * Calls on a worker thread that owns the SDK client. The SDK spends more CPU per message (signing,
 * serde, MD5 checks: about 110 µs against 65 µs for delivering the event) than the delivery does; on
 * its own thread it runs beside the deliveries instead of taking turns with them (BENCHMARKS.md).
 * `entry` is the script that serves the worker role (main.ts).
 */
export function workerQueueIo(config: QueueIoConfig, entry: URL): QueueIo {
  const worker = new Worker(entry, { workerData: { role: QUEUE_IO_ROLE, config } });
  const pending = new Map<number, { resolve: (output: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  let closing = false;
  let reportFailure: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (reportFailure = reject));
  // Observed through Promise.race by the poller; this keeps a late failure from counting as unhandled.
  failed.catch(() => {});
  const failAll = (error: Error) => {
    if (closing || failure) return;
    failure = error;
    for (const call of pending.values()) call.reject(error);
    pending.clear();
    reportFailure(error);
  };
  worker.on('message', (reply: IoReply) => {
    const call = pending.get(reply.id);
    if (call === undefined) return;
    pending.delete(reply.id);
    if ('error' in reply)
      call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    else call.resolve(reply.output);
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`the SQS I/O thread exited (code ${code})`)));
  worker.unref();

  return {
    call(action, input, signal) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      const abort = () => worker.postMessage({ kind: 'abort', id } satisfies IoRequest);
      signal?.addEventListener('abort', abort, { once: true });
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ kind: 'call', id, action, input } satisfies IoRequest);
      }).finally(() => signal?.removeEventListener('abort', abort)) as Promise<never>;
    },
    failed,
    async close() {
      closing = true;
      worker.postMessage({ kind: 'close' } satisfies IoRequest);
      await worker.terminate();
    },
  };
}
