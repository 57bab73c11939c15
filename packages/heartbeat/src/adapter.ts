import type { Adapter } from '@tributary/core';
import { readHeartbeatConfig, type HeartbeatConfig } from './config.ts';
import { runHeartbeats } from './heartbeat.ts';
import { HEARTBEAT_EVENT_TYPES } from './to-cloudevent.ts';

export const heartbeatAdapter: Adapter<HeartbeatConfig> = {
  name: 'heartbeat',
  config: readHeartbeatConfig,
  start: runHeartbeats,
  eventTypes: HEARTBEAT_EVENT_TYPES,
};
