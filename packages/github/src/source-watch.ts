import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, CustomObjectsApi, makeInformer, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '@tributary/core';
import { loadKubeConfig } from '@tributary/kube';
import type { GitHubSourceObject } from './github-source.ts';
import type { MultiTenantConfig } from './multi-tenant-config.ts';
import type { SecretKeyReader } from './tenant-directory.ts';

// Loaded only in multi-tenant mode (a dynamic import), so the single-tenant bundle carries no
// Kubernetes client.

const GROUP = 'sources.knative.dev';
const VERSION = 'v1alpha1';
const PLURAL = 'githubsources';
const RESTART_DELAY_MS = 2_000;

export interface SourceHandlers {
  readonly upsert: (object: GitHubSourceObject) => Promise<void>;
  readonly remove: (object: GitHubSourceObject) => void;
}

export interface SourceWatch {
  readonly readSecret: SecretKeyReader;
  /** Lists, then watches (re-listing after a lost watch) until `signal` aborts; resolves once the first list is applied. */
  start(handlers: SourceHandlers, signal: AbortSignal): Promise<void>;
}

/** GitHubSources (cluster-wide, or in one namespace) and their Secrets, through the API server. */
export function connectSourceWatch(config: MultiTenantConfig, logger: Logger): SourceWatch {
  const kc = loadKubeConfig(config.kube);
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const path =
    config.namespace === undefined
      ? `/apis/${GROUP}/${VERSION}/${PLURAL}`
      : `/apis/${GROUP}/${VERSION}/namespaces/${config.namespace}/${PLURAL}`;
  const list = () =>
    (config.namespace === undefined
      ? custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL })
      : custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: config.namespace })) as Promise<
      KubernetesListObject<KubernetesObject>
    >;

  const readSecret: SecretKeyReader = async (namespace, ref) => {
    let secret;
    try {
      secret = await core.readNamespacedSecret({ namespace, name: ref.name });
    } catch (error) {
      const code = (error as { code?: number }).code;
      throw new Error(`reading Secret ${namespace}/${ref.name}: ${code === undefined ? (error as Error).message : `HTTP ${code}`}`, { cause: error });
    }
    const value = secret.data?.[ref.key];
    if (value === undefined) throw new Error(`key ${JSON.stringify(ref.key)} not found in Secret ${namespace}/${ref.name}`);
    return Buffer.from(value, 'base64').toString('utf8');
  };

  return {
    readSecret,
    async start(handlers, signal) {
      const informer = makeInformer(kc, path, list);
      const apply = (object: KubernetesObject) => void handlers.upsert(object as GitHubSourceObject);
      informer.on('add', apply);
      informer.on('update', apply);
      informer.on('delete', (object) => handlers.remove(object as GitHubSourceObject));
      // The informer stops at an error (a failed list, a broken watch other than 410 Gone); it is
      // started again after a pause, re-listing or resuming, and reports deletions it missed.
      let failure: unknown;
      let failed: () => void = () => {};
      informer.on('error', (error: unknown) => {
        failure = error;
        failed();
      });
      signal.addEventListener('abort', () => void informer.stop().finally(() => failed()), { once: true });
      let listed: () => void = () => {};
      const firstList = new Promise<void>((resolve) => (listed = resolve));
      void (async () => {
        while (!signal.aborted) {
          failure = undefined;
          const stopped = new Promise<void>((resolve) => (failed = resolve));
          await informer.start();
          if (failure === undefined) {
            listed();
            await stopped;
          }
          if (signal.aborted) break;
          logger.warn({ err: failure, path }, 'GitHubSource list or watch failed; starting again shortly');
          await sleep(RESTART_DELAY_MS, undefined, { signal }).catch(() => {});
        }
      })();
      await Promise.race([firstList, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))]);
    },
  };
}
