export { apiserverAdapter } from './adapter.ts';
export { readApiServerConfig, type ApiServerConfig } from './config.ts';
export {
  SOURCE_CONFIG_SCHEMA,
  normalizeSourceConfig,
  type SourceConfig,
  type ResourceSpec,
  type EventMode,
} from './source-config.ts';
export { labelSelectorString, type LabelSelector } from './label-selector.ts';
export {
  APISERVER_EVENT_TYPES,
  changeEvent,
  eventType,
  guessPlural,
  objectReference,
  selfLinkSubject,
  type ChangeType,
} from './to-cloudevent.ts';
export { KubeApi, KubeApiError } from './kube-client.ts';
export { watchEvents, WatchIdleError } from './watch-stream.ts';
export { KnownObjects, type Change } from './known-objects.ts';
export { DeliveryQueue, type DeliveryQueueOptions } from './delivery-queue.ts';
export { planCollections, collectionPath, type Collection } from './watch-plan.ts';
export { resolveResources, UnknownResourceError, type ResolvedResource } from './discovery.ts';
export { ownedBy } from './change-handler.ts';
export { passesFilters, type SubscriptionsApiFilter } from './event-filter.ts';
export type { KubeObject } from './kube-object.ts';
export { DeliveredVersion, type DeliveryBatch, type Settle } from './delivered-version.ts';
export {
  collectionKey,
  decodeHandoverNote,
  encodeHandoverNote,
  HandoverNoteError,
  type DeliveredVersions,
} from './handover-note.ts';
