import type { Metrics } from '@tributary/core';

/** Lateness is expected in the millisecond range; the top buckets catch jitter and stalls. */
const LATENESS_BUCKETS = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type PingMetrics = ReturnType<typeof registerPingMetrics>;

const registered = new WeakMap<Metrics, PingMetrics>();

/**
 * Ping's own series next to core's delivery metrics, registered once per registry: `start` may
 * run more than once in a process (once per leader term). Only failures carry the source's
 * identity: a per-source label on every tick would be 10,000 series for a full sources file.
 */
export function createPingMetrics(metrics: Metrics): PingMetrics {
  let ping = registered.get(metrics);
  if (ping === undefined) registered.set(metrics, (ping = registerPingMetrics(metrics)));
  return ping;
}

function registerPingMetrics(metrics: Metrics) {
  return {
    ticks: metrics.counter('tributary_ping_ticks_total', 'Ticks fired (an event handed to the sink client).'),
    failed: metrics.counter(
      'tributary_ping_ticks_failed_total',
      'Ticks whose event the sink never accepted, after retries, by source.',
      ['namespace', 'name'],
    ),
    skipped: metrics.counter('tributary_ping_ticks_skipped_total', 'Ticks missed because the process could not run at their time.'),
    lateness: metrics.histogram(
      'tributary_ping_tick_lateness_seconds',
      'Send start minus the scheduled instant (includes PING_JITTER_MS).',
      [],
      LATENESS_BUCKETS,
    ),
    sources: metrics.gauge('tributary_ping_sources', 'Ping sources loaded and scheduled.'),
    rejected: metrics.gauge('tributary_ping_sources_rejected', 'Entries of the sources file rejected at the last load.'),
    reloads: metrics.counter('tributary_ping_reloads_total', 'Sources file loads after startup, by outcome.', ['outcome']),
  };
}
