import type { Logger } from '@tributary/core';

/**
 * Readiness from the queue's point of view (docs/contracts.md §1: not ready while the upstream is down).
 * Reports only changes, so a hundred failing long polls make one log line, not a hundred.
 */
export class UpstreamHealth {
  readonly #setReady: (ready: boolean, reason?: string) => void;
  readonly #logger: Logger;
  #up: boolean | undefined;

  constructor(setReady: (ready: boolean, reason?: string) => void, logger: Logger) {
    this.#setReady = setReady;
    this.#logger = logger;
  }

  up(): void {
    if (this.#up === true) return;
    if (this.#up === false) this.#logger.info('queue reachable again');
    this.#up = true;
    this.#setReady(true);
  }

  down(what: string, error: unknown): void {
    const reason = `${what}: ${describe(error)}`;
    if (this.#up !== false) this.#logger.error({ err: error }, `queue unreachable (${reason})`);
    this.#up = false;
    this.#setReady(false, reason);
  }
}

export function describe(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
