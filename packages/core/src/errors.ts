/**
 * One error class per failure kind, each with a stable `code` so logs, metrics and tests can
 * match on it without parsing messages.
 */

export interface ConfigProblem {
  /** The environment variable (or config key) at fault. */
  readonly variable: string;
  readonly message: string;
}

/** Bad environment: collected in full, reported once, process exits 78 (EX_CONFIG). */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type DeliveryFailureCode =
  /** The sink answered a status that must not be retried (a 4xx outside the retry set). */
  | 'SINK_REJECTED'
  /** Every attempt failed with a retryable status, a network error or a timeout. */
  | 'RETRIES_EXHAUSTED'
  /** The client was closed (shutdown deadline) before the sink accepted the event. */
  | 'CLIENT_CLOSED';

/** `emit()` rejects with this when the sink did not accept the event. */
export class DeliveryError extends Error {
  readonly code: DeliveryFailureCode;
  /** Last HTTP status seen, if any response arrived. */
  readonly status: number | undefined;
  readonly attempts: number;

  constructor(
    code: DeliveryFailureCode,
    message: string,
    details: { status?: number | undefined; attempts: number; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.name = 'DeliveryError';
    this.code = code;
    this.status = details.status;
    this.attempts = details.attempts;
  }
}

/**
 * A request an intake refuses. Carries the exact HTTP status to answer with
 * (400 malformed, 401 unauthenticated, 413 too large, 415 media type, ...).
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  /** Extra JSON fields for the response body (e.g. a list of validation problems). */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /** Extra response headers (e.g. `retry-after` on a 503). */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    details?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}
