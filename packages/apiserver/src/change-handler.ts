import { randomUUID } from 'node:crypto';
import type { Settle } from './delivered-version.ts';
import type { DeliveryQueue } from './delivery-queue.ts';
import { passesFilters } from './event-filter.ts';
import type { Change } from './known-objects.ts';
import { controllerOf, objectKey, type KubeObject } from './kube-object.ts';
import type { WatchMetrics } from './metrics.ts';
import type { EventMode, SourceConfig } from './source-config.ts';
import { changeEvent } from './to-cloudevent.ts';
import type { Collection } from './watch-plan.ts';

/**
 * Knative's `controllerFilter`: keep an object only if it has a controller ownerReference whose
 * apiVersion and kind match the configured owner (an empty field matches any).
 */
export function ownedBy(
  object: KubeObject,
  owner: { readonly apiVersion: string; readonly kind: string },
): boolean {
  const controller = controllerOf(object);
  if (controller === undefined) return false;
  return (
    (owner.apiVersion === '' || owner.apiVersion === controller.apiVersion) &&
    (owner.kind === '' || owner.kind === controller.kind)
  );
}

/**
 * How much of an object to remember for a delete that only a relist finds: everything in Resource
 * mode (the event carries the last known state), else just what the reference and the owner
 * filter need.
 */
export function snapshotFor(mode: EventMode): (object: KubeObject) => string {
  if (mode === 'Resource') return (object) => JSON.stringify(object);
  return (object) => {
    const controller = controllerOf(object);
    const metadata = {
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
      ...(controller ? { ownerReferences: [controller] } : {}),
    };
    return JSON.stringify({ apiVersion: object.apiVersion, kind: object.kind, metadata });
  };
}

export interface ChangeHandlerOptions {
  readonly config: SourceConfig;
  /** The API server URL: the events' `source`. */
  readonly source: string;
  readonly queue: DeliveryQueue;
  readonly metrics: WatchMetrics;
}

/** Takes a change; may wait (a full queue). Calls `settle` once the sink is done with it (at once if filtered out). */
export type ChangeHandler = (change: Change, collection: Collection, settle: Settle) => Promise<void>;

/** Filters a change (owner, then `filters` on the event, as Knative), maps it and queues it per object. */
export function createChangeHandler(options: ChangeHandlerOptions): ChangeHandler {
  const { config, source, queue, metrics } = options;
  const eventOptions = { mode: config.mode, source };
  return async (change, collection, settle) => {
    if (config.owner !== undefined && !ownedBy(change.object, config.owner)) return settle(true);
    // In Resource mode the snapshot is the object's JSON (snapshotFor): sent as is.
    const json = config.mode === 'Resource' ? change.snapshot : undefined;
    const event = changeEvent(change.type, change.object, eventOptions, randomUUID(), new Date(), json);
    if (config.filters.length > 0 && !passesFilters(config.filters, event)) return settle(true);
    metrics.event(event.type, change.origin);
    // Keyed by name, so a delete and a re-create under the same name stay in order.
    await queue.push(
      `${collection.resource.apiVersion}/${collection.resource.plural}/${objectKey(change.object)}`,
      event,
      settle,
    );
  };
}
