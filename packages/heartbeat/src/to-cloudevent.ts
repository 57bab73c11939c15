import { randomUUID } from 'node:crypto';
import type { CloudEvent, EventTypeInfo } from '@tributary/core';
import type { HeartbeatConfig } from './config.ts';

export const HEARTBEAT_TYPE = 'dev.knative.eventing.samples.heartbeat';

export const HEARTBEAT_EVENT_TYPES: readonly EventTypeInfo[] = [
  { type: HEARTBEAT_TYPE, description: 'A periodic heartbeat with a sequence number, label and message.' },
];

/** The event Knative's cmd/heartbeats sends, attribute for attribute (docs/contracts.md §3). */
export function heartbeatEvent(config: HeartbeatConfig, sequence: number, now: Date): CloudEvent {
  const data: { id: number; label: string; msg?: string } = { id: sequence, label: config.label };
  // The Go struct tags msg `omitempty`; label is always present.
  if (config.msg !== '') data.msg = config.msg;
  return {
    id: randomUUID(),
    type: config.eventType,
    source: config.eventSource ?? `https://knative.dev/eventing-contrib/cmd/heartbeats/#${config.podNamespace}/${config.podName}`,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    data,
    extensions: { the: 42, heart: 'yes', beats: true },
  };
}
