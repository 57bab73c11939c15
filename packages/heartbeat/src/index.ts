export { heartbeatAdapter } from './adapter.ts';
export { readHeartbeatConfig, HEARTBEATS_FLAGS, type HeartbeatConfig } from './config.ts';
export { heartbeatEvent, HEARTBEAT_TYPE, HEARTBEAT_EVENT_TYPES } from './to-cloudevent.ts';
