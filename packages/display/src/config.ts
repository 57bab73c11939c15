import type { Env } from '@tributary/core';

export type LogFormat = 'text' | 'json';

export interface DisplayConfig {
  /** How many of the latest events are kept in memory for the page and `GET /api/events`. */
  readonly maxEvents: number;
  /** `text`: one readable line per event on stdout; `json`: one JSON log line per event. */
  readonly logFormat: LogFormat;
  /** Largest request body accepted; larger ones get 413 before they are buffered. */
  readonly maxBodyBytes: number;
  /** Optional companion service whose actions the page offers as buttons (see README). */
  readonly actionsUrl: URL | undefined;
}

export function readDisplayConfig(env: Env): DisplayConfig {
  return {
    maxEvents: env.int('DISPLAY_MAX_EVENTS', { default: 500, min: 1, max: 100_000 }) ?? 500,
    logFormat: env.oneOf('LOG_FORMAT', ['text', 'json'], 'text'),
    maxBodyBytes:
      env.int('DISPLAY_MAX_BODY_BYTES', { default: 4 * 1024 * 1024, min: 1024 }) ?? 4 * 1024 * 1024,
    actionsUrl: env.url('DISPLAY_ACTIONS_URL'),
  };
}
