import type { Env, RuntimeConfig } from '@tributary/core';
import { readKubeAccess, type KubeAccess } from '@tributary/kube';
import { SOURCE_CONFIG_SCHEMA, normalizeSourceConfig, type SourceConfig } from './source-config.ts';

export interface ApiServerConfig {
  readonly source: SourceConfig;
  readonly kube: KubeAccess;
  /** Announce objects that exist at start as `add` events (Knative never does). */
  readonly sendInitial: boolean;
  /** Above this many namespaces, one cluster-wide watch per resource filtered here (#8675, #8642). */
  readonly namespaceWatchLimit: number;
  /** Events held between the watches and the sink; when full, reading the watches pauses. */
  readonly queueSize: number;
  /** Concurrent deliveries (different objects); one object's events go one at a time. */
  readonly concurrency: number;
  /** Items per list page (client-go's pager uses 500). */
  readonly listPageSize: number;
  /** Ceiling of the reconnect and redelivery backoff. */
  readonly backoffMaxMs: number;
  /** Keep V8's young generation from growing under load (heap.ts). */
}

/** K_SOURCE_CONFIG as Knative's controller writes it, plus Tributary's own knobs. */
export function readApiServerConfig(env: Env, runtime: RuntimeConfig): ApiServerConfig {
  const raw = env.json('K_SOURCE_CONFIG', SOURCE_CONFIG_SCHEMA, { required: true });
  const source = raw === undefined ? undefined : normalizeSourceConfig(raw, runtime.namespace);
  if (source !== undefined && source.namespaces.length === 0 && !source.allNamespaces) {
    env.problem('K_SOURCE_CONFIG', 'lists no namespaces and allNamespaces is not true (or set NAMESPACE)');
  }
  return {
    source: source ?? {
      namespaces: [],
      allNamespaces: false,
      resources: [],
      owner: undefined,
      mode: 'Reference',
      filters: [],
      failFast: false,
    },
    kube: readKubeAccess(env),
    sendInitial: env.bool('APISERVER_SEND_INITIAL', false),
    namespaceWatchLimit: env.int('APISERVER_NAMESPACE_WATCH_LIMIT', { default: 10, min: 1 }) ?? 10,
    queueSize: env.int('APISERVER_QUEUE_SIZE', { default: 1000, min: 1, max: 1_000_000 }) ?? 1000,
    concurrency: runtime.maxInFlight,
    listPageSize: env.int('APISERVER_LIST_PAGE_SIZE', { default: 500, min: 1 }) ?? 500,
    backoffMaxMs: env.duration('APISERVER_BACKOFF_MAX', 30_000, { min: 10 }),
  };
}

