import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '@tributary/core';
import { SignatureVerifier } from './signature.ts';

/** Reads the current value of a source's secret key; rejects when it cannot. */
export type SecretReader = () => Promise<string>;

/**
 * A GitHubSource's webhook secret, read through the API (eventing-github's multi-tenant adapter reads
 * it in its reconciler, pkg/mtadapter/adapter.go). A signature that does not match re-reads the
 * Secret once before the 401, at most every `minRereadMs`: a rotated secret is picked up at its
 * first delivery, and a flood of forged requests costs the API server one GET per interval.
 */
export class TenantSecret {
  readonly #read: SecretReader;
  readonly #minRereadMs: number;
  #verifier: SignatureVerifier | undefined;
  #value: string | undefined;
  #problem = 'not read yet';
  #lastRead = Number.NEGATIVE_INFINITY;
  #reading: Promise<boolean> | undefined;

  constructor(read: SecretReader, minRereadMs: number) {
    this.#read = read;
    this.#minRereadMs = minRereadMs;
  }

  /** Why the secret is unusable, or undefined when it is loaded. */
  get problem(): string | undefined {
    return this.#verifier === undefined ? this.#problem : undefined;
  }

  /** Reads the secret now; resolves true when its value changed. Never rejects. */
  load(): Promise<boolean> {
    this.#reading ??= this.#load().finally(() => (this.#reading = undefined));
    return this.#reading;
  }

  /** Throws HttpError 401 for a bad signature, 503 while the secret cannot be read. */
  async verify(headers: IncomingHttpHeaders, body: Buffer): Promise<void> {
    if (this.#verifier === undefined) await this.#rereadIfDue();
    const verifier = this.#verifier;
    if (verifier === undefined) {
      throw new HttpError(503, 'SOURCE_SECRET_UNAVAILABLE', `the source's secret cannot be used: ${this.#problem}`);
    }
    try {
      verifier.verify(headers, body);
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 401) || !(await this.#rereadIfDue())) throw error;
      this.#verifier?.verify(headers, body);
    }
  }

  async #rereadIfDue(): Promise<boolean> {
    if (this.#reading === undefined && Date.now() - this.#lastRead < this.#minRereadMs) return false;
    return this.load();
  }

  async #load(): Promise<boolean> {
    this.#lastRead = Date.now();
    try {
      const value = await this.#read();
      // go-playground/webhooks skips the check for an empty secret; an empty key here accepts nothing.
      if (value === '') {
        this.#problem = 'the key is empty';
        this.#verifier = undefined;
        this.#value = undefined;
        return false;
      }
      const changed = value !== this.#value;
      if (changed) {
        this.#value = value;
        this.#verifier = new SignatureVerifier([value]);
      }
      return changed;
    } catch (error) {
      // A Secret that went away keeps the last value: the hook still signs with it.
      this.#problem = (error as Error).message;
      return false;
    }
  }
}
