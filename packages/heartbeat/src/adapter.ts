import type { Adapter } from '@tributary/core';
import { leaseLeadership } from '@tributary/kube';
import { readHeartbeatConfig, type HeartbeatConfig } from './config.ts';
import { runHeartbeats } from './heartbeat.ts';
import { HEARTBEAT_EVENT_TYPES } from './to-cloudevent.ts';

export const heartbeatAdapter: Adapter<HeartbeatConfig> = {
  name: 'heartbeat',
  config: readHeartbeatConfig,
  start: runHeartbeats,
  // K_SINK or `--sink`: the config reports a missing sink itself (cmd/heartbeats accepts either).
  needsSink: false,
  // Off unless LEADER_ELECTION=true or K_LEADER_ELECTION_CONFIG is set (several replicas, one beating).
  leadership: leaseLeadership('heartbeat'),
  eventTypes: HEARTBEAT_EVENT_TYPES,
};
