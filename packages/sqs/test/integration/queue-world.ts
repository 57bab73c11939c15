import {
  GetQueueAttributesCommand,
  SQSClient,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { adapterEnv, waitFor, type AdapterEnv } from '@tributary/testkit';

export const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** fauxqs in this process, and the real SDK client the tests drive it with. */
export interface QueueWorld {
  readonly server: FauxqsServer;
  readonly sqs: SQSClient;
  close(): Promise<void>;
}

export async function startQueueWorld(
  options: { port?: number; spyBuffer?: number } = {},
): Promise<QueueWorld> {
  const server = await startFauxqs({
    port: options.port ?? 0,
    logger: false,
    ...(options.spyBuffer ? { messageSpies: { bufferSize: options.spyBuffer } } : {}),
  });
  const sqs = new SQSClient({ endpoint: server.address, region: REGION, credentials: CREDENTIALS });
  return {
    server,
    sqs,
    async close() {
      sqs.destroy();
      await server.stop();
    },
  };
}

/** The env of an adapter process pointed at fauxqs: dummy credentials, explicit endpoint, short polls. */
export async function sqsAdapterEnv(
  world: QueueWorld,
  sinkUrl: string,
  extra: Record<string, string> = {},
): Promise<AdapterEnv> {
  return adapterEnv(sinkUrl, {
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: world.server.address,
    SQS_WAIT_TIME_SECONDS: '1',
    ...extra,
  });
}

/** Sends entries with SendMessageBatch, 10 a call, several calls at once; returns MessageId per entry, in order. */
export async function sendAll(
  sqs: SQSClient,
  queueUrl: string,
  entries: readonly Omit<SendMessageBatchRequestEntry, 'Id'>[],
): Promise<string[]> {
  const ids: string[] = new Array<string>(entries.length);
  const batches: number[] = [];
  for (let start = 0; start < entries.length; start += 10) batches.push(start);
  const worker = async () => {
    for (let start = batches.shift(); start !== undefined; start = batches.shift()) {
      const slice = entries.slice(start, start + 10).map((entry, index) => ({ ...entry, Id: String(index) }));
      const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: slice }));
      if ((result.Failed ?? []).length > 0) throw new Error(`send failed: ${JSON.stringify(result.Failed)}`);
      for (const ok of result.Successful ?? []) ids[start + Number(ok.Id)] = ok.MessageId ?? '';
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

export interface QueueCounts {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

export async function queueCounts(sqs: SQSClient, queueUrl: string): Promise<QueueCounts> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return {
    visible: Number(a.ApproximateNumberOfMessages),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed),
  };
}

/** Waits until the queue holds nothing: no visible, in-flight or delayed message. */
export async function waitForEmptyQueue(sqs: SQSClient, queueUrl: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    async () => {
      const counts = await queueCounts(sqs, queueUrl);
      return counts.visible + counts.inFlight + counts.delayed === 0;
    },
    { timeoutMs, intervalMs: 100, what: `queue ${queueUrl} to be empty` },
  );
}

/** One Prometheus sample from the adapter's METRICS_PORT (0 when absent). */
export async function metric(env: AdapterEnv, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${env.METRICS_PORT}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}
