import type { Metrics } from '../observability/metrics.ts';

/** The counters and gauge of webhook management, registered once per process. */
export interface HookMetrics {
  /** operation: reconcile | remove; outcome: created, updated, unchanged, deleted, absent, failed. */
  readonly operations: ReturnType<Metrics['counter']>;
  readonly duplicatesRemoved: ReturnType<Metrics['counter']>;
  /** 1 once the target's hook is in place, 0 while it is not (yet); alert on 0 that lasts. */
  readonly inSync: ReturnType<Metrics['gauge']>;
}

export function createHookMetrics(metrics: Metrics): HookMetrics {
  return {
    operations: metrics.counter(
      'tributary_webhook_operations_total',
      'Webhook management passes by target and outcome.',
      ['operation', 'target', 'outcome'],
    ),
    duplicatesRemoved: metrics.counter(
      'tributary_webhook_duplicates_removed_total',
      'Extra hooks with our URL deleted (left by a concurrent replica or by hand).',
      ['target'],
    ),
    inSync: metrics.gauge('tributary_webhook_in_sync', '1 while the target has our hook as configured.', [
      'target',
    ]),
  };
}
