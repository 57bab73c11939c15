import { readFileSync, statSync } from 'node:fs';
import type { BearerToken } from './bearer-token.ts';

/**
 * The OIDC token a SinkBinding mounts at `/oidc/token` (knative/eventing
 * `pkg/apis/sources/v1/sinkbinding_lifecycle.go`, knative-v1.22.2: a Secret volume `oidc-token`
 * at `/oidc`). The file is optional: while it is absent no token is sent, and once it appears it
 * is. Kubernetes updates Secret volumes by swapping a symlink, so the file is re-read when its
 * identity or modification time changes (checked at most every `checkIntervalMs`) and on demand
 * after a 401.
 */
export class TokenFile implements BearerToken {
  readonly #path: string;
  readonly #checkIntervalMs: number;
  #token: string | undefined;
  #version = '';
  #checkedAt = Number.NEGATIVE_INFINITY;

  constructor(path: string, checkIntervalMs = 5_000) {
    this.#path = path;
    this.#checkIntervalMs = checkIntervalMs;
  }

  get path(): string {
    return this.#path;
  }

  /** Reads the file now; true when it holds a token. A missing or empty file means no token. */
  load(): boolean {
    this.#checkedAt = Date.now();
    const stat = statSync(this.#path, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isFile()) {
      this.#token = undefined;
      this.#version = '';
      return false;
    }
    try {
      this.#token = readFileSync(this.#path, 'utf8').trim() || undefined;
      this.#version = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    } catch {
      // Unreadable right now (mid-swap, permissions): keep the last good token.
    }
    return this.#token !== undefined;
  }

  /** The current token, or undefined while there is none; cheap on the hot path (a stat every few seconds). */
  current(): string | undefined {
    const now = Date.now();
    if (now - this.#checkedAt >= this.#checkIntervalMs) {
      this.#checkedAt = now;
      const stat = statSync(this.#path, { throwIfNoEntry: false });
      const version = stat?.isFile() ? `${stat.ino}:${stat.mtimeMs}:${stat.size}` : '';
      if (version !== this.#version) this.load();
    }
    return this.#token;
  }

  /** Re-read now (after the sink answered 401). True when the token changed. */
  refresh(): boolean {
    const before = this.#token;
    this.load();
    return this.#token !== before;
  }
}
