import type { Metrics } from '@tributary/core';

/** What the delivery queue reports. */
export interface QueueMetrics {
  depth(events: number): void;
  /** A watch has to wait for room in the queue (backpressure)... */
  paused(): void;
  /** ...and waited this long. */
  resumed(seconds: number): void;
  redelivery(): void;
  dropped(reason: 'rejected' | 'shutdown'): void;
}

/** What the watches report. */
export interface WatchMetrics {
  event(type: string, origin: 'watch' | 'relist' | 'initial'): void;
  relist(reason: 'start' | 'expired' | 'handover'): void;
  /** A collection in the previous leader's handover note: resumed from its version, or not (a gap). */
  handover(outcome: 'resumed' | 'gap'): void;
  restart(reason: string): void;
  watches(open: number): void;
}

export type ApiServerMetrics = QueueMetrics & WatchMetrics;

/** `tributary_apiserver_*` on the shared registry; core's delivery metrics count the sink side. */
export function createApiServerMetrics(metrics: Metrics): ApiServerMetrics {
  const depth = metrics.gauge('tributary_apiserver_queue_depth', 'Events waiting for or in delivery.');
  const peak = metrics.gauge('tributary_apiserver_queue_depth_peak', 'Highest queue depth since start.');
  const pauses = metrics.counter(
    'tributary_apiserver_backpressure_pauses_total',
    'Times a watch stopped reading because the queue was full.',
  );
  const pausedSeconds = metrics.counter(
    'tributary_apiserver_backpressure_seconds_total',
    'Time watches spent waiting for room in the queue.',
  );
  const redeliveries = metrics.counter(
    'tributary_apiserver_redeliveries_total',
    'Events put back in line after the sink failed them (core retries exhausted).',
  );
  const dropped = metrics.counter(
    'tributary_apiserver_events_dropped_total',
    'Events given up on: rejected by the sink (4xx) or still queued at shutdown.',
    ['reason'],
  );
  const events = metrics.counter(
    'tributary_apiserver_events_total',
    'Events queued for delivery, by type and by what found the change.',
    ['type', 'origin'],
  );
  const relists = metrics.counter(
    'tributary_apiserver_relists_total',
    'Full lists: at start, after 410 Gone, and at the version a previous leader handed over.',
    ['reason'],
  );
  const restarts = metrics.counter(
    'tributary_apiserver_watch_restarts_total',
    'Watches re-opened after ending, by cause.',
    ['reason'],
  );
  const handovers = metrics.counter(
    'tributary_apiserver_handover_collections_total',
    'Collections of a handover note: resumed from the delivered version, or not (gap: changes since may be missed).',
    ['outcome'],
  );
  const open = metrics.gauge('tributary_apiserver_watches_open', 'Watch connections currently open.');
  let highest = 0;
  return {
    depth(value) {
      depth.set(value);
      if (value > highest) peak.set((highest = value));
    },
    paused: () => pauses.inc(),
    resumed: (seconds) => pausedSeconds.inc(seconds),
    redelivery: () => redeliveries.inc(),
    dropped: (reason) => dropped.labels(reason).inc(),
    event: (type, origin) => events.labels(type, origin).inc(),
    relist: (reason) => relists.labels(reason).inc(),
    restart: (reason) => restarts.labels(reason).inc(),
    handover: (outcome) => handovers.labels(outcome).inc(),
    watches: (count) => open.set(count),
  };
}
