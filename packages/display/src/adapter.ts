import type { Adapter } from '@tributary/core';
import { readDisplayConfig, type DisplayConfig } from './config.ts';
import { runDisplay } from './display.ts';

/** A sink, not a source: no K_SINK; core still brings probes, metrics, logs and SIGTERM. */
export const displayAdapter: Adapter<DisplayConfig> = {
  name: 'display',
  config: readDisplayConfig,
  start: runDisplay,
  needsSink: false,
  // The page is at GET /: liveness stays on /health and /healthz.
  servesRoot: true,
  eventTypes: [],
};
