import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { HandlerContext } from './context.ts';
import { dispatch } from './dispatch.ts';
import { mediaType, readBody, sendFailure, sendStatus } from './http-util.ts';
import { buildKubeConfig, writeKubeconfigFile } from './kubeconfig.ts';
import { ResourceRegistry } from './registry.ts';
import type { ResourceDefinitionInput } from './registry.ts';
import { FaultPlan, matchesFilter, pathMatches, recordOf } from './request-log.ts';
import type { FailOptions, KubeRequestRecord, RequestFilter } from './request-log.ts';
import { PING_SOURCE_RESOURCE } from './pingsources.ts';
import { GITHUB_SOURCE_RESOURCE } from './githubsources.ts';
import { ObjectStore } from './store.ts';
import { KubeStoreAccess } from './store-access.ts';
import { failureStatus, KubeApiError } from './types.ts';
import { WatchStream } from './watch.ts';
import { TokenIssuer, type IssuedToken } from './token-requests.ts';
import type { WatchInfo, WatchRequest } from './watch.ts';

export interface KubeApiServerOptions {
  /** Default 0 (ephemeral). */
  port?: number;
  /** Bearer token expected from clients. Default `tributary-test-token`. */
  token?: string;
  /** Answer 401 to requests without the token (except /version, /healthz, /livez, /readyz). Default true. */
  requireAuth?: boolean;
  /** Interval of BOOKMARK events for watches with `allowWatchBookmarks=true`. Default 1000 ms. */
  bookmarkIntervalMs?: number;
  /** Events kept for watch replay before the oldest are compacted away. Default 10000. */
  historyLimit?: number;
  /** Namespaces created at start. Default `default`, `kube-system`, `kube-public`, `kube-node-lease`. */
  namespaces?: string[];
  /** Reject creates into namespaces that do not exist (404), like the real server. Default false. */
  requireNamespace?: boolean;
  /** Extra resources (e.g. custom resources) registered at start. */
  resources?: ResourceDefinitionInput[];
  /** Artificial delay before each request is handled. Default 0. */
  latencyMs?: number;
  /**
   * Serve https with this key and certificate (e.g. `selfSignedCertificate()`), for clients that
   * reach the server as a pod does: `KUBERNETES_SERVICE_HOST`/`_PORT` and the CA in `ca.crt`.
   */
  tls?: { key: string; cert: string };
  /** Lifetime of every token the TokenRequest API issues, whatever the client asks (default: as asked, else 3600). */
  tokenTtlSeconds?: number;
}

/** `refuse`: connections are reset; `hang`: requests are held and watch output buffered until `resume()`. */
export type PauseMode = 'refuse' | 'hang';

const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** A loopback server speaking enough of the Kubernetes REST API for `@kubernetes/client-node`. */
export class KubeApiServer extends KubeStoreAccess {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #watches = new Set<WatchStream>();
  readonly #requests: KubeRequestRecord[] = [];
  readonly #faults = new FaultPlan();
  readonly #requireAuth: boolean;
  readonly #ctx: HandlerContext;
  readonly #tokens: TokenIssuer;
  readonly #tls: { key: string; cert: string } | undefined;
  #latencyMs: number;
  #bookmarkIntervalMs: number;
  #paused: PauseMode | undefined;
  #held: Array<() => void> = [];

  /** Use `startKubeApiServer()`. */
  constructor(server: Server, registry: ResourceRegistry, store: ObjectStore, options: KubeApiServerOptions) {
    super(registry, store);
    this.#server = server;
    this.port = (server.address() as AddressInfo).port;
    this.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
    this.token = options.token ?? 'tributary-test-token';
    this.#requireAuth = options.requireAuth ?? true;
    this.#latencyMs = options.latencyMs ?? 0;
    this.#bookmarkIntervalMs = options.bookmarkIntervalMs ?? 1000;
    this.#tokens = new TokenIssuer(options.tokenTtlSeconds);
    this.#tls = options.tls;
    this.#ctx = {
      registry,
      store,
      tokens: this.#tokens,
      requireNamespace: options.requireNamespace ?? false,
      bookmarkIntervalMs: () => this.#bookmarkIntervalMs,
      openWatch: (res, request) => this.#openWatch(res, request),
    };
    server.on('connection', (socket: Socket) => {
      if (this.#paused === 'refuse') {
        socket.destroy();
        return;
      }
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#onRequest(req, res));
  }

  /** A `KubeConfig` (http, bearer token) pointing at this server. */
  kubeConfig(options: { namespace?: string } = {}): KubeConfig {
    return buildKubeConfig({ server: this.url, token: this.token, ...options });
  }

  /**
   * The files a pod's service account volume holds (`token`, `ca.crt`, `namespace`), written to
   * `dir` for `KUBERNETES_SERVICE_ACCOUNT_DIR` or a mount at /var/run/secrets/kubernetes.io/serviceaccount.
   * Needs `tls`. Returns the env a pod gets: `KUBERNETES_SERVICE_HOST`, `KUBERNETES_SERVICE_PORT`.
   */
  async writeServiceAccount(dir: string, namespace: string): Promise<Record<string, string>> {
    if (this.#tls === undefined) throw new Error('writeServiceAccount needs a server started with tls');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'token'), this.token);
    await writeFile(join(dir, 'ca.crt'), this.#tls.cert);
    await writeFile(join(dir, 'namespace'), namespace);
    return { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(this.port) };
  }

  /** Writes a kubeconfig YAML file for child processes (`KUBECONFIG=<path>`); returns the path. */
  async writeKubeconfig(path: string, options: { namespace?: string } = {}): Promise<string> {
    await writeKubeconfigFile(path, { server: this.url, token: this.token, ...options });
    return path;
  }

  /** Stops the server, destroying open watches and connections. */
  async close(): Promise<void> {
    this.#paused = undefined;
    for (const release of this.#held.splice(0)) release();
    for (const w of [...this.#watches]) w.cut(false);
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    for (const s of this.#sockets) s.destroy();
    await closed;
  }

  // ---- watches --------------------------------------------------------------------------------

  /** Open watches, optionally only those whose URL path matches (exact string or RegExp). */
  watches(path?: string | RegExp): WatchInfo[] {
    return [...this.#watches].map((w) => w.info).filter((i) => pathMatches(path, i.path));
  }

  watchCount(path?: string | RegExp): number {
    return this.watches(path).length;
  }

  /** Resolves once at least `count` watches (matching `path`) are open. */
  async waitForWatches(
    count: number,
    options: { path?: string | RegExp; timeoutMs?: number } = {},
  ): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    while (this.watchCount(options.path) < count) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${count} watch(es); open: ${this.watchCount(options.path)}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Ends open watches; returns how many. Default abrupt (socket destroyed: the client sees a
   * stream error); `graceful: true` ends the chunked body cleanly, like a server-side timeout.
   */
  cutWatches(options: { graceful?: boolean; path?: string | RegExp } = {}): number {
    const targets = [...this.#watches].filter((w) => pathMatches(options.path, w.info.path));
    for (const w of targets) w.cut(options.graceful ?? false);
    return targets.length;
  }

  /** Bookmark interval for watches opened from now on. */
  setBookmarkInterval(ms: number): void {
    this.#bookmarkIntervalMs = ms;
  }

  // ---- TokenRequest (serviceaccounts/<name>/token) -------------------------------------------

  /** Tokens issued through the TokenRequest API, oldest first. */
  get issuedTokens(): readonly IssuedToken[] {
    return this.#tokens.issued;
  }

  /**
   * Why `authorization` (a request's header) is not a valid, unexpired token issued here for
   * `audience` (and the service account `namespace/name`, when given); undefined when it is.
   */
  verifyToken(authorization: string | undefined, audience: string, serviceAccount?: string): string | undefined {
    return this.#tokens.verify(authorization, audience, serviceAccount);
  }

  /** Every token issued so far stops verifying, as after a signing-key rotation. */
  revokeTokens(): void {
    this.#tokens.revokeAll();
  }

  /** Lifetime of tokens issued from now on (undefined: as the client asks). */
  setTokenTtl(seconds: number | undefined): void {
    this.#tokens.ttlSeconds = seconds;
  }

  // ---- request log & fault injection ----------------------------------------------------------

  /** Every request received, oldest first. */
  get requests(): readonly KubeRequestRecord[] {
    return this.#requests;
  }

  countRequests(filter: RequestFilter = {}): number {
    return this.#requests.filter((r) => matchesFilter(filter, r.method, r.path, r.watch)).length;
  }

  clearRequests(): void {
    this.#requests.length = 0;
  }

  setLatency(ms: number): void {
    this.#latencyMs = ms;
  }

  /** The next `count` requests matching `options` are answered with a `Status` of code `status`. */
  failNext(count: number, status = 500, options: FailOptions = {}): void {
    this.#faults.add(count, status, options);
  }

  /** Drops pending `failNext` rules. */
  clearFailures(): void {
    this.#faults.clear();
  }

  /** Makes the server unreachable until `resume()`. */
  pause(mode: PauseMode = 'refuse'): void {
    this.#paused = mode;
    if (mode === 'refuse') {
      for (const w of [...this.#watches]) w.cut(false);
      for (const s of this.#sockets) s.destroy();
    } else {
      for (const w of this.#watches) w.pause();
    }
  }

  resume(): void {
    this.#paused = undefined;
    for (const w of this.#watches) w.resume();
    for (const release of this.#held.splice(0)) release();
  }

  // ---- request handling -----------------------------------------------------------------------

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record = recordOf(req, url);
    this.#requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    res.on('close', () => {
      if (record.status === undefined && res.headersSent) record.status = res.statusCode;
    });
    const run = (): void => {
      this.#process(req, res, url, record).catch((err: unknown) => {
        if (err instanceof KubeApiError) sendStatus(res, err.status);
        else sendFailure(res, 500, err instanceof Error ? err.message : String(err));
      });
    };
    if (this.#paused === 'hang') this.#held.push(run);
    else run();
  }

  async #process(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    record: KubeRequestRecord,
  ): Promise<void> {
    const body = await readBody(req);
    if (this.#latencyMs > 0) await new Promise((r) => setTimeout(r, this.#latencyMs));
    if (res.destroyed) return;
    const authorized = req.headers.authorization === `Bearer ${this.token}`;
    if (this.#requireAuth && !authorized && !PUBLIC_PATHS.has(url.pathname)) {
      return sendStatus(res, failureStatus(401, 'Unauthorized'));
    }
    const injected = this.#faults.take(record);
    if (injected) return sendStatus(res, injected);
    const call = {
      method: record.method,
      url,
      watch: record.watch,
      contentType: mediaType(req.headers['content-type']),
      body,
      serverAddress: `127.0.0.1:${this.port}`,
    };
    dispatch(this.#ctx, call, res);
  }

  #openWatch(res: ServerResponse, request: WatchRequest): void {
    const url = new URL(res.req.url ?? '/', 'http://127.0.0.1');
    const info: WatchInfo = {
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      apiVersion: request.def.apiVersion,
      plural: request.def.plural,
      openedAt: Date.now(),
    };
    if (request.namespace !== undefined) info.namespace = request.namespace;
    const stream = new WatchStream(res, this.store, request, info, (w) => this.#watches.delete(w));
    this.#watches.add(stream);
    stream.start();
  }
}

/** Starts a test API server on 127.0.0.1 (ephemeral port by default). */
export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const registry = new ResourceRegistry();
  // Knative's custom resources the adapters read (ping's multi-tenant mode).
  registry.register(PING_SOURCE_RESOURCE);
  // eventing-github's GitHubSource (the GitHub adapter's multi-tenant mode).
  registry.register(GITHUB_SOURCE_RESOURCE);
  for (const input of options.resources ?? []) registry.register(input);
  const store = new ObjectStore(
    options.historyLimit !== undefined ? { historyLimit: options.historyLimit } : {},
  );
  const nsDef = registry.lookup('v1', 'Namespace');
  for (const name of options.namespaces ?? ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    store.create(nsDef, { metadata: { name } });
  }
  const server = options.tls
    ? createTlsServer({ keepAliveTimeout: 5000, key: options.tls.key, cert: options.tls.cert })
    : createServer({ keepAliveTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return new KubeApiServer(server, registry, store, options);
}
