import type { Adapter } from '@tributary/core';
import { readEventBridgeConfig, type EventBridgeConfig } from './config.ts';
import { serveEventBridge } from './server.ts';
import { EVENTBRIDGE_EVENT_TYPES } from './to-cloudevent.ts';

export const eventBridgeAdapter: Adapter<EventBridgeConfig> = {
  name: 'eventbridge',
  config: readEventBridgeConfig,
  start: serveEventBridge,
  eventTypes: EVENTBRIDGE_EVENT_TYPES,
};
