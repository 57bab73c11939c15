import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '@tributary/core';

const SHA256 = /^sha256=([0-9a-f]{64})$/i;
const SHA1 = /^sha1=([0-9a-f]{40})$/i;

/**
 * Checks GitHub's HMAC over the raw body bytes, never over a re-encoded string (a body that is not
 * valid UTF-8 would otherwise verify differently). `X-Hub-Signature-256` is the signature;
 * the SHA-1 `X-Hub-Signature` is only looked at when no SHA-256 header came, for old GitHub Enterprise
 * Server releases: eventing-github checks SHA-1 only. Every key is tried, without stopping at the
 * first match, so the time taken does not tell which key matched (rotation: current and previous).
 */
export class SignatureVerifier {
  readonly #keys: readonly KeyObject[];

  /** `secrets` empty: unsigned intake was explicitly allowed, and nothing is checked. */
  constructor(secrets: readonly string[]) {
    this.#keys = secrets.map((secret) => createSecretKey(Buffer.from(secret, 'utf8')));
  }

  get enabled(): boolean {
    return this.#keys.length > 0;
  }

  /** Throws HttpError 401 unless the body carries a valid signature by one of the keys. */
  verify(headers: IncomingHttpHeaders, body: Buffer): void {
    if (!this.enabled) return;
    const sha256 = headers['x-hub-signature-256'];
    const sha1 = headers['x-hub-signature'];
    if (sha256 !== undefined) return this.#check('sha256', SHA256, sha256, body);
    if (sha1 !== undefined) return this.#check('sha1', SHA1, sha1, body);
    throw new HttpError(401, 'SIGNATURE_MISSING', 'X-Hub-Signature-256 header is missing');
  }

  #check(algorithm: 'sha256' | 'sha1', format: RegExp, header: string | string[], body: Buffer): void {
    const hex = typeof header === 'string' ? format.exec(header)?.[1] : undefined;
    if (hex === undefined) {
      throw new HttpError(401, 'SIGNATURE_MALFORMED', `signature header is not "${algorithm}=<hex digest>"`);
    }
    const given = Buffer.from(hex, 'hex');
    let matched = false;
    for (const key of this.#keys) {
      const expected = createHmac(algorithm, key).update(body).digest();
      // Lengths are equal by construction (the format fixes the digest size).
      const equal = timingSafeEqual(expected, given);
      matched = matched || equal;
    }
    if (!matched) throw new HttpError(401, 'SIGNATURE_INVALID', 'signature does not match the payload');
  }
}
