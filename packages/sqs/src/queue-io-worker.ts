import { parentPort, workerData } from 'node:worker_threads';
import { callSqs, QUEUE_IO_ROLE, type IoReply, type IoRequest, type QueueIoConfig } from './queue-io.ts';
import { createSqsClient } from './sqs-client.ts';

/** True in the worker thread `workerQueueIo` starts. */
export function isQueueIoThread(): boolean {
  return parentPort !== null && (workerData as { role?: string } | null)?.role === QUEUE_IO_ROLE;
}

/** The worker side of `workerQueueIo`: runs each requested SQS call on its own client. */
export function serveQueueIo(): void {
  const port = parentPort;
  if (port === null) throw new Error('serveQueueIo runs only in a worker thread');
  const client = createSqsClient((workerData as { config: QueueIoConfig }).config);
  const running = new Map<number, AbortController>();
  port.on('message', (request: IoRequest) => {
    if (request.kind === 'abort') {
      running.get(request.id)?.abort();
      return;
    }
    if (request.kind === 'close') {
      client.destroy();
      port.close();
      return;
    }
    const controller = new AbortController();
    running.set(request.id, controller);
    callSqs(client, request.action, request.input as never, controller.signal)
      .then(
        (output) => port.postMessage({ id: request.id, output } satisfies IoReply),
        (error: unknown) => {
          const { name = 'Error', message = String(error) } = error instanceof Error ? error : {};
          port.postMessage({ id: request.id, error: { name, message } } satisfies IoReply);
        },
      )
      .finally(() => running.delete(request.id));
  });
}
