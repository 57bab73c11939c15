import { readFileSync, statSync } from 'node:fs';

/**
 * The OIDC token SinkBinding projects for `K_AUDIENCE` (Knative eventing OIDC, "sender identity").
 * Kubernetes rotates projected tokens by swapping the file, so the token is re-read when the file's
 * modification time changes (checked at most every `checkIntervalMs`) and on demand after a 401.
 */
export class TokenFile {
  readonly #path: string;
  readonly #checkIntervalMs: number;
  #token = '';
  #mtimeMs = -1;
  #checkedAt = 0;

  constructor(path: string, checkIntervalMs = 5_000) {
    this.#path = path;
    this.#checkIntervalMs = checkIntervalMs;
  }

  get path(): string {
    return this.#path;
  }

  /** Reads the file now. Throws when it is missing or empty, so startup can report it. */
  load(): void {
    const stat = statSync(this.#path);
    const token = readFileSync(this.#path, 'utf8').trim();
    if (token === '') throw new Error(`token file ${this.#path} is empty`);
    this.#token = token;
    this.#mtimeMs = stat.mtimeMs;
    this.#checkedAt = Date.now();
  }

  /** The current token; cheap on the hot path (a stat at most every few seconds). */
  current(): string {
    const now = Date.now();
    if (now - this.#checkedAt >= this.#checkIntervalMs) {
      this.#checkedAt = now;
      try {
        if (statSync(this.#path).mtimeMs !== this.#mtimeMs) this.load();
      } catch {
        // Keep the last good token; the sink's 401 will say if it has expired.
      }
    }
    return this.#token;
  }

  /** Force a re-read (after the sink answered 401). Returns true when the token changed. */
  refresh(): boolean {
    const before = this.#token;
    try {
      this.load();
    } catch {
      return false;
    }
    return this.#token !== before;
  }
}
