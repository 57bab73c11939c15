import { request } from 'undici';
import type { ApiConnection } from '../kube/api-connection.ts';
import type { BearerToken } from '../delivery/bearer-token.ts';

/** Whose token, for which audience: a source's OIDC identity and its sink's audience. */
export interface OidcIdentity {
  readonly audience: string;
  readonly serviceAccount: string;
  readonly namespace: string;
}

/**
 * knative/eventing `pkg/auth/token_provider.go` (knative-v1.22.2): tokens last an hour and are
 * cached until five minutes before `status.expirationTimestamp`. A shorter-lived token (the API
 * server may cap the lifetime) is renewed once four fifths of its life have passed instead.
 */
const EXPIRATION_SECONDS = 3600;
const EXPIRATION_BUFFER_MS = 5 * 60_000;

/**
 * One identity's token from the Kubernetes TokenRequest API
 * (`POST /api/v1/namespaces/<ns>/serviceaccounts/<sa>/token`, `authentication.k8s.io/v1`).
 * `current()` is synchronous while the cached token is fresh; concurrent deliveries that find it
 * stale share one request. After the sink's 401 the cache is dropped and a new token requested.
 */
export class TokenRequestToken implements BearerToken {
  readonly #api: ApiConnection;
  readonly #identity: OidcIdentity;
  readonly #now: () => number;
  #token: string | undefined;
  #renewAt = 0;
  #pending: Promise<string> | undefined;

  constructor(api: ApiConnection, identity: OidcIdentity, now: () => number = Date.now) {
    this.#api = api;
    this.#identity = identity;
    this.#now = now;
  }

  current(): string | Promise<string> {
    if (this.#token !== undefined && this.#now() < this.#renewAt) return this.#token;
    this.#pending ??= this.#request().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  refresh(): boolean {
    this.#token = undefined;
    return true;
  }

  async #request(): Promise<string> {
    const { namespace, serviceAccount, audience } = this.#identity;
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(serviceAccount)}/token`;
    const authorization = this.#api.authorization();
    const requestedAt = this.#now();
    let answer: Awaited<ReturnType<typeof request>>;
    try {
      answer = await request(new URL(path, this.#api.server), {
        method: 'POST',
        dispatcher: this.#api.dispatcher,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(authorization !== undefined ? { authorization } : {}),
        },
        body: JSON.stringify({
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { audiences: [audience], expirationSeconds: EXPIRATION_SECONDS },
        }),
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
    } catch (error) {
      throw new Error(`could not request an OIDC token for ${namespace}/${serviceAccount}: ${(error as Error).message}`, { cause: error });
    }
    const body = (await answer.body.json().catch(() => undefined)) as TokenRequestAnswer | undefined;
    const token = body?.status?.token;
    if (answer.statusCode !== 201 && answer.statusCode !== 200) {
      const reason = body?.message ?? `HTTP ${answer.statusCode}`;
      throw new Error(`could not request an OIDC token for ${namespace}/${serviceAccount}: ${reason}`);
    }
    if (typeof token !== 'string' || token === '') {
      throw new Error(`could not request an OIDC token for ${namespace}/${serviceAccount}: the answer holds no status.token`);
    }
    const expiresAt = Date.parse(body?.status?.expirationTimestamp ?? '');
    const lifetime = Number.isFinite(expiresAt) ? expiresAt - requestedAt : EXPIRATION_SECONDS * 1000;
    this.#token = token;
    this.#renewAt = requestedAt + lifetime - Math.min(EXPIRATION_BUFFER_MS, lifetime / 5);
    return token;
  }
}

interface TokenRequestAnswer {
  readonly message?: string;
  readonly status?: { readonly token?: string; readonly expirationTimestamp?: string };
}
