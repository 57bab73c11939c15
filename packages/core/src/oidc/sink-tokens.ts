import type { Env } from '../config/env.ts';
import type { RuntimeConfig } from '../config/runtime-config.ts';
import type { BearerToken } from '../delivery/bearer-token.ts';
import { TokenFile } from '../delivery/token.ts';
import type { ApiConnection } from '../kube/api-connection.ts';
import { findKubeAccess, readKubeAccess, type KubeAccess } from '../kube/kube-access.ts';
import type { OidcIdentity } from './token-request.ts';

/**
 * The bearer tokens of one process's deliveries, as knative/eventing's adapters get them
 * (`pkg/adapter/v2/cloudevents.go`, knative-v1.22.2):
 * - `K_AUDIENCE` and `K_OIDC_SERVICE_ACCOUNT` (the ApiServerSource controller sets both): a token
 *   for that service account in `NAMESPACE` with that audience, from the TokenRequest API;
 * - otherwise the token file a SinkBinding mounts (`K_OIDC_TOKEN_FILE`, default `/oidc/token`),
 *   sent whenever it exists;
 * - a target with its own `oidc` identity (a multi-tenant PingSource): a TokenRequest token for it.
 * The process token is for K_SINK's audience, so targets with another sink get it only through
 * their own `oidc`.
 */
export class SinkTokens {
  /** The token for deliveries to K_SINK; undefined when none is ever sent. */
  readonly forSink: BearerToken | undefined;
  /** For the startup log: where K_SINK's token comes from (never the token). */
  readonly describe: Readonly<Record<string, string>>;
  readonly #access: KubeAccess | undefined;
  readonly #byIdentity = new Map<string, BearerToken>();
  #connection: Promise<ApiConnection> | undefined;

  /** `sink`: a token (file) or the identity whose TokenRequest token K_SINK gets. */
  constructor(sink: BearerToken | OidcIdentity | undefined, access: KubeAccess | undefined, connection?: ApiConnection) {
    this.#access = access;
    if (connection !== undefined) this.#connection = Promise.resolve(connection);
    if (sink !== undefined && 'audience' in sink) {
      this.forSink = this.forIdentity(sink);
      this.describe = { source: 'TokenRequest', serviceAccount: `${sink.namespace}/${sink.serviceAccount}`, audience: sink.audience };
    } else {
      this.forSink = sink;
      this.describe = sink instanceof TokenFile ? { source: 'file', path: sink.path } : { source: 'none' };
    }
  }

  /** One shared, cached token per (namespace, service account, audience), as Knative's cache key. */
  forIdentity(identity: OidcIdentity): BearerToken {
    const key = `${identity.namespace}/${identity.serviceAccount}/${identity.audience}`;
    let token = this.#byIdentity.get(key);
    if (token === undefined) {
      token = new DeferredToken(async () => {
        const { TokenRequestToken } = await import('./token-request.ts');
        return new TokenRequestToken(await this.#connect(), identity);
      });
      this.#byIdentity.set(key, token);
    }
    return token;
  }

  /** Closes the API server connections. */
  async close(): Promise<void> {
    const connection = await this.#connection?.catch(() => undefined);
    await connection?.dispatcher.close();
  }

  #connect(): Promise<ApiConnection> {
    const access = this.#access;
    if (access === undefined) {
      return Promise.reject(new Error('no Kubernetes access for OIDC token requests: set KUBECONFIG or run in a pod'));
    }
    // A failure (a kubeconfig being rewritten) is not remembered: the next delivery tries again.
    this.#connection ??= import('../kube/api-connection.ts')
      .then(({ connectToApiServer }) => connectToApiServer(access))
      .catch((error: unknown) => {
        this.#connection = undefined;
        throw error;
      });
    return this.#connection;
  }
}

/**
 * Reads the OIDC settings; problems and warnings go to `env`. Async because the TokenRequest
 * client is loaded only when it is configured.
 */
export async function readSinkTokens(env: Env, runtime: RuntimeConfig): Promise<SinkTokens> {
  const serviceAccount = env.string('K_OIDC_SERVICE_ACCOUNT');
  const audience = runtime.audience;
  if (audience === undefined || serviceAccount === undefined) {
    if (serviceAccount !== undefined) env.warn('K_OIDC_SERVICE_ACCOUNT', 'is set without K_AUDIENCE; no token is requested (as Knative)');
    const file = new TokenFile(runtime.oidcTokenFile);
    if (!file.load() && audience !== undefined) {
      env.warn('K_AUDIENCE', `is set but ${runtime.oidcTokenFile} holds no token yet and K_OIDC_SERVICE_ACCOUNT is unset; events go without a token until the file appears`);
    }
    return new SinkTokens(file, findKubeAccess(env));
  }
  const problemsBefore = env.problems.length;
  const access = readKubeAccess(env);
  if (env.problems.length > problemsBefore) return new SinkTokens(undefined, access);
  let connection: ApiConnection;
  try {
    const { connectToApiServer } = await import('../kube/api-connection.ts');
    connection = connectToApiServer(access);
  } catch (error) {
    env.problem(access.kind === 'kubeconfig' ? 'KUBECONFIG' : 'KUBERNETES_SERVICE_HOST', `cannot load Kubernetes access for OIDC tokens: ${(error as Error).message}`);
    return new SinkTokens(undefined, access);
  }
  const namespace = runtime.namespace ?? connection.namespace;
  if (namespace === undefined) {
    env.problem('NAMESPACE', `required with K_OIDC_SERVICE_ACCOUNT: the namespace of service account ${serviceAccount}`);
    return new SinkTokens(undefined, access, connection);
  }
  return new SinkTokens({ audience, serviceAccount, namespace }, access, connection);
}

/** A token whose source is loaded on first use; a failed load is retried on the next call. */
class DeferredToken implements BearerToken {
  readonly #load: () => Promise<BearerToken>;
  #inner: BearerToken | undefined;
  #loading: Promise<BearerToken> | undefined;

  constructor(load: () => Promise<BearerToken>) {
    this.#load = load;
  }

  current(): string | undefined | Promise<string | undefined> {
    if (this.#inner !== undefined) return this.#inner.current();
    this.#loading ??= this.#load().then(
      (inner) => (this.#inner = inner),
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading.then((inner) => inner.current());
  }

  refresh(): boolean | Promise<boolean> {
    return this.#inner?.refresh() ?? true;
  }
}
