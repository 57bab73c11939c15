import { runAdapter } from '@tributary/core';
import { sqsAdapterWith } from './adapter.ts';
import { isQueueIoThread, serveQueueIo } from './queue-io-worker.ts';

// The bundle is a single file, so it is also the entry point of its own SQS I/O thread.
if (isQueueIoThread()) serveQueueIo();
else await runAdapter(sqsAdapterWith(new URL(import.meta.url)));
