import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * JSON lines on stdout (pino), one object per line, with the adapter and source identity on every
 * line. Secrets are redacted by field name in case a caller logs a config or headers object.
 */
export function createLogger(
  level: LogLevel,
  base: Readonly<Record<string, string | undefined>>,
  /** Fields added to every line, e.g. the active span's `trace_id`/`span_id`; only set when tracing is on. */
  mixin?: () => Record<string, string>,
): Logger {
  return pino({
    level,
    ...(mixin ? { mixin } : {}),
    base: Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)),
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [
        'token',
        'secret',
        'password',
        'authorization',
        '*.token',
        '*.secret',
        '*.secretToken',
        '*.accessToken',
        '*.password',
        '*.authorization',
        'headers["x-hub-signature"]',
        'headers["x-hub-signature-256"]',
        'headers["x-gitlab-token"]',
        'headers["x-eventbridge-signature-token"]',
      ],
      censor: '[redacted]',
    },
  });
}
