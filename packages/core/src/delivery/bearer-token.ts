/**
 * Where a delivery's `Authorization: Bearer` token comes from (Knative eventing OIDC, "sender
 * identity"): a mounted token file or the Kubernetes TokenRequest API.
 */
export interface BearerToken {
  /** The token for the next request; undefined sends none. Synchronous while a cached token is good. */
  current(): string | undefined | Promise<string | undefined>;
  /** After a 401: drop the cached token. True when the next `current()` may give a different one. */
  refresh(): boolean | Promise<boolean>;
}
