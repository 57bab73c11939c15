export { displayAdapter } from './adapter.ts';
export { readDisplayConfig, type DisplayConfig, type LogFormat } from './config.ts';
export { decodeRequest } from './decode/request.ts';
export { EventStore, type StoreChange, type StoreSnapshot } from './event-store.ts';
export { eventLine } from './event-log.ts';
export type {
  AttributeValue,
  DecodedEvent,
  DisplayedEvent,
  EventData,
  ReceivedMode,
} from './displayed-event.ts';
