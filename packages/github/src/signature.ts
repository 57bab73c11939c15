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

  /**
   * What the headers alone decide, before the body is read: a signature header is present and
   * well-formed. A request without one is refused without buffering its body.
   */
  checkPresent(headers: IncomingHttpHeaders): void {
    if (this.enabled) checkSignaturePresent(headers);
  }

  /** Throws HttpError 401 unless the body carries a valid signature by one of the keys. */
  verify(headers: IncomingHttpHeaders, body: Buffer): void {
    if (!this.enabled) return;
    this.checkPresent(headers);
    const sha256 = headers['x-hub-signature-256'];
    if (sha256 !== undefined) return this.#check(digestOf('sha256', SHA256, sha256), 'sha256', body);
    this.#check(digestOf('sha1', SHA1, headers['x-hub-signature'] ?? ''), 'sha1', body);
  }

  #check(given: Buffer, algorithm: 'sha256' | 'sha1', body: Buffer): void {
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

/** Throws HttpError 401 unless a well-formed signature header came (the body is not looked at). */
export function checkSignaturePresent(headers: IncomingHttpHeaders): void {
  const sha256 = headers['x-hub-signature-256'];
  const sha1 = headers['x-hub-signature'];
  if (sha256 !== undefined) return void digestOf('sha256', SHA256, sha256);
  if (sha1 !== undefined) return void digestOf('sha1', SHA1, sha1);
  throw new HttpError(401, 'SIGNATURE_MISSING', 'X-Hub-Signature-256 header is missing');
}

function digestOf(algorithm: 'sha256' | 'sha1', format: RegExp, header: string | string[]): Buffer {
  const hex = typeof header === 'string' ? format.exec(header)?.[1] : undefined;
  if (hex === undefined) {
    throw new HttpError(401, 'SIGNATURE_MALFORMED', `signature header is not "${algorithm}=<hex digest>"`);
  }
  return Buffer.from(hex, 'hex');
}
