import type { Adapter } from '@tributary/core';
import { readSqsConfig, type SqsConfig } from './config.ts';
import { EVENTBRIDGE_EVENT_TYPES } from './eventbridge-events.ts';
import { runSqsSource } from './poller.ts';
import { S3_EVENT_TYPES } from './s3-events.ts';
import { SQS_EVENT_TYPES } from './to-cloudevent.ts';

/**
 * The adapter. `ioThreadEntry` is the script that serves its SQS I/O thread (the bundle's own
 * main); without one, SQS calls run on the main thread.
 */
export function sqsAdapterWith(ioThreadEntry: URL | undefined): Adapter<SqsConfig> {
  return {
    name: 'sqs',
    config: readSqsConfig,
    start: (ctx) => runSqsSource(ctx, ioThreadEntry),
    // Not ready until GetQueueAttributes answers, and not while receives fail (docs/contracts.md §1).
    readiness: 'managed',
    eventTypes: [...SQS_EVENT_TYPES, ...S3_EVENT_TYPES, ...EVENTBRIDGE_EVENT_TYPES],
  };
}

/** The adapter with SQS calls on the main thread (for embedding; the bundle uses its I/O thread). */
export const sqsAdapter: Adapter<SqsConfig> = sqsAdapterWith(undefined);
