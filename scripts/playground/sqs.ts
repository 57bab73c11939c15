import { SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import type { SqsQueue } from './adapters.ts';

export interface EmbeddedSqs extends SqsQueue {
  readonly port: number;
  readonly client: SQSClient;
  stop(): Promise<void>;
}

export const QUEUE_NAME = 'tributary-playground';

/** fauxqs, an SQS emulator speaking the real protocol, in this process, with one standard queue. */
export async function startEmbeddedSqs(port: number): Promise<EmbeddedSqs> {
  quietSqliteWarning();
  const { startFauxqs } = await import('fauxqs');
  const server: FauxqsServer = await startFauxqs({ port, logger: false });
  const { queueUrl } = server.createQueue(QUEUE_NAME);
  const endpoint = `http://127.0.0.1:${server.port}`;
  // Always an explicit endpoint: newer SDKs otherwise call the queue URL's host (docs/contracts.md §8).
  const client = new SQSClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'playground', secretAccessKey: 'playground' },
  });
  return {
    port: server.port,
    endpoint,
    queueUrl,
    client,
    async stop() {
      client.destroy();
      await server.stop();
    },
  };
}

/** fauxqs loads node:sqlite, whose ExperimentalWarning means nothing to a playground visitor. */
function quietSqliteWarning(): void {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'ExperimentalWarning' && warning.message.includes('SQLite')) return;
    for (const listener of listeners) listener(warning);
  });
}
