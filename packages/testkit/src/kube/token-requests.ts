import { randomBytes } from 'node:crypto';
import { KubeApiError } from './types.ts';

/** One token the test server issued through the TokenRequest API. */
export interface IssuedToken {
  readonly token: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly audiences: readonly string[];
  /** `spec.expirationSeconds` as the client asked. */
  readonly requestedSeconds: number | undefined;
  readonly issuedAt: number;
  /** What `status.expirationTimestamp` says (whole seconds, as the API server renders it). */
  readonly expiresAt: number;
  revoked: boolean;
}

/**
 * The `serviceaccounts/<name>/token` subresource (`authentication.k8s.io/v1` TokenRequest). Tokens
 * are JWT-shaped (header.claims.signature, base64url) with the claims the API server puts there
 * (`aud`, `sub: system:serviceaccount:<ns>:<sa>`, `exp`, `iat`, `kubernetes.io`); they are not
 * signed, and `verify` checks them against what was issued instead. `ttlSeconds` plays the server's
 * `--service-account-max-token-expiration`: every token lives that long whatever was asked.
 */
export class TokenIssuer {
  readonly issued: IssuedToken[] = [];
  ttlSeconds: number | undefined;

  constructor(ttlSeconds?: number) {
    this.ttlSeconds = ttlSeconds;
  }

  /** Answers a TokenRequest POST for an existing service account. */
  issue(namespace: string, serviceAccount: string, body: unknown): unknown {
    const spec = (body as { spec?: { audiences?: unknown; expirationSeconds?: unknown } } | undefined)?.spec;
    const audiences = Array.isArray(spec?.audiences) ? spec.audiences.filter((a): a is string => typeof a === 'string') : [];
    const requested = typeof spec?.expirationSeconds === 'number' ? spec.expirationSeconds : undefined;
    if (requested !== undefined && requested < 600) {
      throw new KubeApiError(422, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: may not specify a duration less than 10 minutes', 'Invalid');
    }
    // The API server fills in its own issuer as the audience when none is asked for.
    const aud = audiences.length > 0 ? audiences : ['https://kubernetes.default.svc.cluster.local'];
    const issuedAt = Math.floor(Date.now() / 1000) * 1000;
    const expiresAt = issuedAt + (this.ttlSeconds ?? requested ?? 3600) * 1000;
    const claims = {
      aud,
      exp: expiresAt / 1000,
      iat: issuedAt / 1000,
      nbf: issuedAt / 1000,
      iss: 'https://kubernetes.default.svc.cluster.local',
      jti: randomBytes(8).toString('hex'),
      sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
      'kubernetes.io': { namespace, serviceaccount: { name: serviceAccount } },
    };
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${part({ alg: 'RS256', kid: 'tributary-test' })}.${part(claims)}.${randomBytes(32).toString('base64url')}`;
    this.issued.push({ token, namespace, serviceAccount, audiences: aud, requestedSeconds: requested, issuedAt, expiresAt, revoked: false });
    return {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: serviceAccount, namespace, creationTimestamp: new Date(issuedAt).toISOString().replace('.000Z', 'Z') },
      spec: { audiences: aud, expirationSeconds: (expiresAt - issuedAt) / 1000, boundObjectRef: null },
      status: { token, expirationTimestamp: new Date(expiresAt).toISOString().replace('.000Z', 'Z') },
    };
  }

  /**
   * Why an `Authorization` header does not carry a valid token for `audience` (and, when given,
   * this service account as `namespace/name`); undefined when it does.
   */
  verify(authorization: string | undefined, audience: string, serviceAccount?: string): string | undefined {
    if (authorization === undefined) return 'no Authorization header';
    const match = /^Bearer (\S+)$/.exec(authorization);
    if (!match) return 'Authorization is not a bearer token';
    const issued = this.issued.find((candidate) => candidate.token === match[1]);
    if (issued === undefined) return 'token was not issued by this server';
    if (issued.revoked) return 'token was revoked';
    if (Date.now() >= issued.expiresAt) return 'token has expired';
    if (!issued.audiences.includes(audience)) return `token audience ${issued.audiences.join(',')} is not ${audience}`;
    if (serviceAccount !== undefined && `${issued.namespace}/${issued.serviceAccount}` !== serviceAccount) {
      return `token is for ${issued.namespace}/${issued.serviceAccount}, not ${serviceAccount}`;
    }
    return undefined;
  }

  /** Every token issued so far stops verifying (a rotated signing key, a deleted service account). */
  revokeAll(): void {
    for (const issued of this.issued) issued.revoked = true;
  }
}
