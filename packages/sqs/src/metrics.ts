import type { Metrics } from '@tributary/core';

export type SqsMetrics = ReturnType<typeof sqsMetrics>;

/** The adapter's own series, beside core's delivery metrics. */
export function sqsMetrics(metrics: Metrics) {
  return {
    // SQS bills per request: this shows how well receives and deletes are batched.
    calls: metrics.counter('tributary_sqs_api_calls_total', 'SQS API calls by action.', ['action']),
    received: metrics.counter('tributary_sqs_messages_received_total', 'Messages received from the queue.'),
    deleted: metrics.counter(
      'tributary_sqs_messages_deleted_total',
      'Messages deleted after the sink accepted all their events.',
    ),
    returned: metrics.counter(
      'tributary_sqs_messages_returned_total',
      'Messages handed back to the queue undelivered: delivery_failed (after a backoff) or shutdown (at once).',
      ['reason'],
    ),
    actionFailed: metrics.counter(
      'tributary_sqs_batch_entries_given_up_total',
      'Delete or visibility changes SQS never applied; the message reappears after its visibility timeout.',
      ['action'],
    ),
    extended: metrics.counter(
      'tributary_sqs_visibility_extensions_total',
      'Visibility extensions for deliveries that outlast the timeout.',
    ),
    held: metrics.gauge(
      'tributary_sqs_messages_held',
      'Messages received and not yet deleted or handed back.',
    ),
  };
}
