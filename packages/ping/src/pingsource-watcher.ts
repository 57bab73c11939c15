import { CustomObjectsApi, ListWatch, Watch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '@tributary/core';
import { loadKubeConfig, type KubeAccess } from '@tributary/kube';
import type { PingSourceObject } from './pingsource-object.ts';

const GROUP = 'sources.knative.dev';
const VERSION = 'v1';
const PLURAL = 'pingsources';

export interface PingSourceWatchOptions {
  readonly access: KubeAccess;
  /** Undefined: every namespace (mt-ping's cluster-wide informer). */
  readonly namespace: string | undefined;
  readonly onUpsert: (object: PingSourceObject) => void;
  readonly onDelete: (object: PingSourceObject) => void;
  /** `up`: listed, and the watch is open. */
  readonly onState: (up: boolean, reason: string) => void;
  readonly logger: Logger;
}

export interface PingSourceWatch {
  /** Resolves once the first list has been handed to `onUpsert` and the watch is open. */
  readonly synced: Promise<void>;
  close(): Promise<void>;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;

/**
 * Lists and watches PingSources with the client's `ListWatch` (an informer: relists after
 * `410 Gone` and tells apart what vanished meanwhile). A list or watch that fails is retried with
 * backoff; the set already handed over keeps ticking meanwhile, as mt-ping's informer cache does.
 */
export function watchPingSources(options: PingSourceWatchOptions): PingSourceWatch {
  const { namespace, logger } = options;
  const kc = loadKubeConfig(options.access);
  const api = kc.makeApiClient(CustomObjectsApi);
  const path = namespace === undefined ? `/apis/${GROUP}/${VERSION}/${PLURAL}` : `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}`;
  const list = () =>
    (namespace === undefined
      ? api.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL })
      : api.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL })) as Promise<KubernetesListObject<KubernetesObject>>;

  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let markSynced: () => void = () => undefined;
  const synced = new Promise<void>((resolve) => (markSynced = resolve));
  const watch = new BookmarkingWatch(kc, () => {
    failures = 0;
    markSynced();
    options.onState(true, 'watching PingSources');
  });
  const informer = new ListWatch<KubernetesObject>(path, watch as Watch, list, false);
  const handle = (callback: (object: PingSourceObject) => void) => (object: KubernetesObject) => callback(slim(object));
  informer.on('add', handle(options.onUpsert));
  informer.on('update', handle(options.onUpsert));
  informer.on('delete', handle(options.onDelete));
  informer.on('error', (error: unknown) => {
    if (closed) return;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** failures++);
    const { code, reason } = describe(error);
    options.onState(false, `PingSource watch down: ${reason}`);
    logger.warn(
      { watch: path, code, reason, retryInMs: delay, ...(code === 403 ? { hint: forbiddenHint(namespace) } : {}) },
      'PingSource list or watch failed: retrying',
    );
    retry = setTimeout(() => void informer.start(), delay);
  });
  void informer.start();
  return {
    synced,
    async close() {
      closed = true;
      clearTimeout(retry);
      await informer.stop();
    },
  };
}

/**
 * The client's `Watch` asks for no bookmarks and no server-side timeout, so a quiet collection
 * times out on the client every 30 s and its resourceVersion ages until the server answers
 * 410 and the informer relists everything. Ask for bookmarks (the server sends one about every
 * minute; the informer keeps their resourceVersion) and for client-go's 5–10 minute watches.
 */
class BookmarkingWatch extends Watch {
  readonly #onOpen: () => void;

  constructor(kc: KubeConfig, onOpen: () => void) {
    super(kc);
    this.#onOpen = onOpen;
    // Private in the typings; it is the inactivity timeout. With bookmarks, silence means a dead connection.
    (this as unknown as { requestTimeoutMs: number }).requestTimeoutMs = 150_000;
  }

  override async watch(
    path: string,
    query: Record<string, unknown>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    let failed = false;
    const controller = await super.watch(
      path,
      { ...query, allowWatchBookmarks: true, timeoutSeconds: 300 + Math.floor(Math.random() * 300) },
      callback,
      (error: unknown) => {
        failed ||= error !== null && error !== undefined;
        done(error);
      },
    );
    if (!failed && !controller.signal.aborted) this.#onOpen();
    return controller;
  }
}

/** Drops what the adapter never reads and the informer would otherwise keep for every source. */
function slim(object: KubernetesObject): PingSourceObject {
  const metadata = object.metadata;
  if (metadata !== undefined) {
    delete metadata.managedFields;
    delete metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
  }
  return object as PingSourceObject;
}

function describe(error: unknown): { code: number | undefined; reason: string } {
  const failure = error as { code?: unknown; statusCode?: unknown; message?: unknown; body?: unknown } | undefined;
  const code = typeof failure?.code === 'number' ? failure.code : typeof failure?.statusCode === 'number' ? failure.statusCode : undefined;
  const message = typeof failure?.message === 'string' ? failure.message.split('\n')[0] : String(error);
  return { code, reason: code === undefined ? (message ?? 'unknown error') : `HTTP ${code}: ${message}` };
}

function forbiddenHint(namespace: string | undefined): string {
  return namespace === undefined
    ? 'the service account needs get, list and watch on pingsources.sources.knative.dev in every namespace (a ClusterRole), or set PING_WATCH_NAMESPACE'
    : `the service account needs get, list and watch on pingsources.sources.knative.dev in ${namespace}`;
}
