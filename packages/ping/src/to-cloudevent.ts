import { randomUUID } from 'node:crypto';
import type { CloudEvent, EventTypeInfo } from '@tributary/core';
import type { PingSource } from './source.ts';

/** `sourcesv1.PingSourceEventType`. */
export const PING_TYPE = 'dev.knative.sources.ping';

export const PING_EVENT_TYPES: readonly EventTypeInfo[] = [
  { type: PING_TYPE, description: 'A fixed payload sent on a cron schedule; time is the scheduled instant.' },
];

/** `sourcesv1.PingSourceSource(namespace, name)`. */
export function pingSourceUri(namespace: string, name: string): string {
  return `/apis/v1/namespaces/${namespace}/pingsources/${name}`;
}

/**
 * The event for one tick (docs/contracts.md §2). Knative stamps the send time, after a random delay;
 * `time` here is the scheduled instant, so a consumer can tell which tick an event stands for.
 * `datacontenttype` is set only with data, as Knative's `event.SetData` does.
 */
export function pingEvent(source: PingSource, scheduledMs: number): CloudEvent {
  const hasData = source.data !== undefined;
  return {
    id: randomUUID(),
    type: PING_TYPE,
    source: pingSourceUri(source.namespace, source.name),
    time: new Date(scheduledMs).toISOString(),
    ...(hasData ? { data: source.data } : {}),
    ...(hasData && source.contentType !== undefined ? { datacontenttype: source.contentType } : {}),
  };
}
