import type { CloudEvent, EventTypeInfo, JsonValue } from '@tributary/core';
import type { KubeObject } from './kube-object.ts';
import type { EventMode } from './source-config.ts';

export type ChangeType = 'add' | 'update' | 'delete';

/** Knative's `sources.ApiServerSource*EventType` constants (pkg/apis/sources/constants.go). */
export function eventType(mode: EventMode, change: ChangeType): string {
  return `dev.knative.apiserver.${mode === 'Resource' ? 'resource' : 'ref'}.${change}`;
}

const MODES: readonly EventMode[] = ['Resource', 'Reference'];
const CHANGES: readonly ChangeType[] = ['add', 'update', 'delete'];

/** The six types, described as in the ApiServerSource CRD's `registry.knative.dev/eventTypes`. */
export const APISERVER_EVENT_TYPES: readonly EventTypeInfo[] = MODES.flatMap((mode) =>
  CHANGES.map((change) => ({
    type: eventType(mode, change),
    description: `CloudEvent type used for ${change} operations when in ${mode} mode`,
    selectedBy: [mode],
  })),
);

/**
 * apimachinery's `meta.UnsafeGuessKindToResource`, which Knative uses for the subject: lower-case
 * kind, `s` → `ses`, `y` → `ies`, `…endpoints` unchanged, else `+s`. It is a guess (`Gateway` →
 * `gatewaies`), kept because Triggers match on the subject Knative produces.
 */
export function guessPlural(kind: string): string {
  const singular = kind.toLowerCase();
  if (singular === '' || singular.endsWith('endpoints')) return singular;
  if (singular.endsWith('s')) return `${singular}es`;
  if (singular.endsWith('y')) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

/**
 * Knative's `createSelfLink`: `/apis/<apiVersion>/namespaces/<namespace>/<guessed plural>/<name>`,
 * also for the core group (`/apis/v1/...`) and with an empty namespace for cluster-scoped objects
 * (`/apis/v1/namespaces//namespaces/default`).
 */
export function selfLinkSubject(apiVersion: string, kind: string, namespace: string, name: string): string {
  // Knative's "versionNameHack": a bare group (`serving.knative.dev`) gets `/versionUnknown`.
  const version =
    apiVersion.includes('.') && !apiVersion.includes('/') ? `${apiVersion}/versionUnknown` : apiVersion;
  return `/apis/${version}/namespaces/${namespace}/${guessPlural(kind)}/${name}`;
}

/** `corev1.ObjectReference` as Go marshals it: field order kind, namespace, name, apiVersion; empty ones omitted. */
export function objectReference(object: KubeObject): Record<string, string> {
  const reference: Record<string, string> = {};
  const fields: Array<[string, string | undefined]> = [
    ['kind', object.kind],
    ['namespace', object.metadata?.namespace],
    ['name', object.metadata?.name],
    ['apiVersion', object.apiVersion],
  ];
  for (const [field, value] of fields) if (value) reference[field] = value;
  return reference;
}

export interface EventOptions {
  readonly mode: EventMode;
  /** The API server URL. */
  readonly source: string;
}

/**
 * The event Knative's `events.Make{Add,Update,Delete}Event` builds for a change: type by mode,
 * source = API server URL, subject = self link, extensions kind/apiversion/name/namespace, JSON
 * data = the object (Resource; for delete its last known state) or its reference (Reference).
 * `time` is when the change was observed, so a queued event keeps its moment. `json`, when given,
 * is the object already serialised: Resource mode sends it as is.
 */
export function changeEvent(
  change: ChangeType,
  object: KubeObject,
  options: EventOptions,
  id: string,
  time: Date,
  json?: string,
): CloudEvent {
  const kind = object.kind ?? '';
  const apiVersion = object.apiVersion ?? '';
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace ?? '';
  return {
    id,
    type: eventType(options.mode, change),
    source: options.source,
    subject: selfLinkSubject(apiVersion, kind, namespace, name),
    time: time.toISOString(),
    datacontenttype: 'application/json',
    data: options.mode === 'Resource' ? (json ?? (object as JsonValue)) : objectReference(object),
    extensions: { kind, apiversion: apiVersion, name, namespace },
  };
}
