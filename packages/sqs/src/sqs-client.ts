import { SQSClient, type BatchResultErrorEntry } from '@aws-sdk/client-sqs';
import { assumedRoleCredentials } from './assumed-role.ts';
import type { EntryFailure } from './batcher.ts';
import type { QueueIo, QueueIoConfig } from './queue-io.ts';

/**
 * The SDK client. Credentials come from the SDK's default chain (env, web identity / IRSA,
 * profile, container and instance metadata), or from the role in AWS_ASSUME_ROLE_ARN assumed with them. An endpoint, when configured, is always passed
 * explicitly: without it newer SDKs send each call to the host of the queue URL (docs/contracts.md §8).
 */
export function createSqsClient(config: QueueIoConfig): SQSClient {
  const agent = { keepAlive: true, maxSockets: config.receivers + 64 };
  const client = new SQSClient({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(config.assumeRoleArn === undefined
      ? {}
      : { credentials: assumedRoleCredentials(config.assumeRoleArn, config.region) }),
    requestHandler: {
      connectionTimeout: 10_000,
      // A long poll holds its request for WaitTimeSeconds; a dead connection must not hold a receiver forever.
      requestTimeout: (config.waitTimeSeconds + 15) * 1000,
      throwOnRequestTimeout: true,
      httpAgent: agent,
      httpsAgent: agent,
    },
  });
  // The SDK's logger middleware deep-copies every input and output through its sensitive-data
  // filter on each call, even with no logger configured: a third of the SDK's CPU per receive.
  // Errors reach our own logs through the rejected promises.
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

export interface QueueFacts {
  readonly arn: string | undefined;
  readonly visibilitySeconds: number;
  readonly fifo: boolean;
}

/** One GetQueueAttributes call: proves the queue is reachable and tells its timeout and kind. */
export async function queueFacts(io: QueueIo, queueUrl: string, signal: AbortSignal): Promise<QueueFacts> {
  const { Attributes: attributes = {} } = await io.call(
    'GetQueueAttributes',
    { QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'VisibilityTimeout', 'FifoQueue'] },
    signal,
  );
  return {
    arn: attributes.QueueArn,
    visibilitySeconds: Number(attributes.VisibilityTimeout ?? '30'),
    fifo: attributes.FifoQueue === 'true',
  };
}

export interface HandleEntry {
  readonly receiptHandle: string;
}

export function deleteBatch(io: QueueIo, queueUrl: string) {
  return async (entries: readonly HandleEntry[]): Promise<EntryFailure[]> => {
    const { Failed } = await io.call('DeleteMessageBatch', {
      QueueUrl: queueUrl,
      Entries: entries.map((entry, index) => ({ Id: String(index), ReceiptHandle: entry.receiptHandle })),
    });
    return failures(Failed);
  };
}

export interface VisibilityEntry extends HandleEntry {
  readonly seconds: number;
}

export function changeVisibilityBatch(io: QueueIo, queueUrl: string) {
  return async (entries: readonly VisibilityEntry[]): Promise<EntryFailure[]> => {
    const { Failed } = await io.call('ChangeMessageVisibilityBatch', {
      QueueUrl: queueUrl,
      Entries: entries.map((entry, index) => ({
        Id: String(index),
        ReceiptHandle: entry.receiptHandle,
        VisibilityTimeout: entry.seconds,
      })),
    });
    return failures(Failed);
  };
}

/** Batch entry ids are the entries' positions, so one MessageId received twice cannot collide. */
function failures(failed: BatchResultErrorEntry[] | undefined): EntryFailure[] {
  return (failed ?? []).map((entry) => ({
    index: Number(entry.Id),
    code: entry.Code ?? 'Unknown',
    senderFault: entry.SenderFault ?? false,
  }));
}
