import type { Adapter } from '@tributary/core';
import { leaseLeadership } from '@tributary/kube';
import { readApiServerConfig, type ApiServerConfig } from './config.ts';
import { APISERVER_EVENT_TYPES } from './to-cloudevent.ts';
import { runApiServerSource } from './watcher.ts';

export const apiserverAdapter: Adapter<ApiServerConfig> = {
  name: 'apiserver',
  config: readApiServerConfig,
  start: runApiServerSource,
  // Not ready until every watch has synced, nor while one is down (docs/contracts.md §1, §4).
  readiness: 'managed',
  // One replica watches and emits; the others wait (LEADER_ELECTION=true or K_LEADER_ELECTION_CONFIG).
  leadership: leaseLeadership('apiserver'),
  compactHeap: true,
  eventTypes: APISERVER_EVENT_TYPES,
};
