import type { Adapter } from '@tributary/core';
import { leaseLeadership } from '@tributary/kube';
import { readPingConfig, type PingConfig } from './config.ts';
import { runPing } from './run-ping.ts';
import { PING_EVENT_TYPES } from './to-cloudevent.ts';

export const pingAdapter: Adapter<PingConfig> = {
  name: 'ping',
  config: readPingConfig,
  start: runPing,
  // K_SINK is checked by readPingConfig: required for the single source, optional when every
  // entry of the sources file names its own sink, unused for PingSource objects (status.sinkUri).
  needsSink: false,
  // Ready once its sources are loaded: at once from env or a file, after the first list of PingSource objects.
  readiness: 'managed',
  compactHeap: true,
  // One replica fires the schedules; the others wait (LEADER_ELECTION=true or K_LEADER_ELECTION_CONFIG).
  leadership: leaseLeadership('ping'),
  eventTypes: PING_EVENT_TYPES,
};
