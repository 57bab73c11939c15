import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigProblem } from '../errors.ts';
import { durationBoundsProblem, parseGoDuration, parseIsoDuration, type DurationBounds } from './duration.ts';

export type EnvVars = Readonly<Record<string, string | undefined>>;

/** Anything with zod's `safeParse` shape, so core does not force a schema library on adapters. */
export interface Schema<T> {
  safeParse(value: unknown):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

interface Common<T> {
  /** Report a problem when the variable is unset or empty. */
  readonly required?: boolean;
  readonly default?: T;
}

/**
 * Reads environment variables and collects every problem instead of stopping at the first,
 * so a misconfigured pod reports all of them in one message (STYLE.md: config errors together).
 * Empty strings count as unset, as Kubernetes renders optional values that way.
 */
export class Env {
  readonly #vars: EnvVars;
  readonly #problems: ConfigProblem[] = [];
  readonly #warnings: ConfigProblem[] = [];

  constructor(vars: EnvVars) {
    this.#vars = vars;
  }

  /** The raw value, or undefined when unset or empty. */
  raw(name: string): string | undefined {
    const value = this.#vars[name];
    return value === undefined || value === '' ? undefined : value;
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  problem(variable: string, message: string): void {
    this.#problems.push({ variable, message });
  }

  get problems(): readonly ConfigProblem[] {
    return this.#problems;
  }

  /**
   * A value that is wrong but must not stop the process: knative.dev/pkg logs a malformed
   * `K_LOGGING_CONFIG` (and its siblings) and carries on with defaults, so we do too. `runAdapter`
   * logs each warning once, after the logger exists.
   */
  warn(variable: string, message: string): void {
    this.#warnings.push({ variable, message });
  }

  get warnings(): readonly ConfigProblem[] {
    return this.#warnings;
  }

  /** Throws one ConfigError naming every problem found so far. */
  assertValid(): void {
    if (this.#problems.length > 0) throw new ConfigError(this.#problems);
  }

  string(name: string, options: Common<string> & { required: true }): string;
  string(name: string, options: Common<string> & { default: string }): string;
  string(name: string, options?: Common<string>): string | undefined;
  string(name: string, options: Common<string> = {}): string | undefined {
    const value = this.raw(name)?.trim();
    if (value !== undefined && value !== '') return value;
    if (options.required) this.problem(name, 'required but not set');
    return options.default ?? (options.required ? '' : undefined);
  }

  /**
   * A secret from `NAME` or from the file named by `NAME_FILE` (a mounted Kubernetes Secret).
   * The value is never echoed in messages. Trailing newlines from `echo` or editors are dropped.
   */
  secret(name: string, options: { required: true }): string;
  secret(name: string, options?: { required?: boolean }): string | undefined;
  secret(name: string, options: { required?: boolean } = {}): string | undefined {
    const inline = this.raw(name);
    const file = this.raw(`${name}_FILE`);
    if (inline !== undefined && file !== undefined) {
      this.problem(name, `set both ${name} and ${name}_FILE; use one`);
      return '';
    }
    if (file !== undefined) {
      try {
        const value = readFileSync(file, 'utf8').replace(/[\r\n]+$/, '');
        if (value === '') this.problem(`${name}_FILE`, `file ${file} is empty`);
        return value;
      } catch (error) {
        this.problem(`${name}_FILE`, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
        return '';
      }
    }
    if (inline !== undefined) return inline;
    if (options.required) this.problem(name, `required but not set (set ${name} or ${name}_FILE)`);
    return options.required ? '' : undefined;
  }

  int(name: string, options: Common<number> & { min?: number; max?: number } = {}): number | undefined {
    const value = this.string(name, { required: options.required ?? false });
    if (value === undefined || value === '') return options.default;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed)) {
      this.problem(name, `must be a whole number, got ${JSON.stringify(value)}`);
      return options.default;
    }
    if (options.min !== undefined && parsed < options.min) this.problem(name, `must be at least ${options.min}`);
    if (options.max !== undefined && parsed > options.max) this.problem(name, `must be at most ${options.max}`);
    return parsed;
  }

  bool(name: string, fallback = false): boolean {
    const value = this.string(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    this.problem(name, `must be true or false, got ${JSON.stringify(value)}`);
    return fallback;
  }

  /**
   * Go duration (`5s`, `250ms`, `1m30s`) or whole seconds; returns milliseconds. Every duration
   * variable goes through here (or `isoDuration`, `seconds`): values past Node's timer limit
   * (MAX_DURATION_MS) or outside `bounds` are a problem naming the variable.
   */
  duration(name: string, fallbackMs: number, bounds: DurationBounds = {}): number {
    return this.#bounded(name, fallbackMs, bounds, parseGoDuration, 'a duration like 5s, 250ms, 1m30s or whole seconds');
  }

  /** ISO-8601 duration (`PT0.05S`); returns milliseconds, bounded as `duration`. */
  isoDuration(name: string, fallbackMs: number, bounds: DurationBounds = {}): number {
    return this.#bounded(name, fallbackMs, bounds, parseIsoDuration, 'an ISO-8601 duration like PT0.05S or PT2S');
  }

  /** Whole seconds (Knative's `K_SINK_TIMEOUT`); returns milliseconds, bounded as `duration`. */
  seconds(name: string, fallbackMs: number, bounds: DurationBounds = {}): number {
    const wholeSeconds = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) * 1000 : undefined);
    return this.#bounded(name, fallbackMs, bounds, wholeSeconds, 'whole seconds');
  }

  #bounded(
    name: string,
    fallbackMs: number,
    bounds: DurationBounds,
    parse: (text: string) => number | undefined,
    expected: string,
  ): number {
    const value = this.string(name);
    if (value === undefined) return fallbackMs;
    const ms = parse(value);
    if (ms === undefined) {
      this.problem(name, `must be ${expected}, got ${JSON.stringify(value)}`);
      return fallbackMs;
    }
    const problem = durationBoundsProblem(ms, bounds);
    if (problem === undefined) return ms;
    this.problem(name, problem);
    return fallbackMs;
  }

  url(name: string, options: { required?: boolean; protocols?: readonly string[] } = {}): URL | undefined {
    const value = this.string(name, { required: options.required ?? false });
    if (value === undefined || value === '') return undefined;
    const protocols = options.protocols ?? ['http:', 'https:'];
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      this.problem(name, `must be an absolute URL, got ${JSON.stringify(value)}`);
      return undefined;
    }
    if (!protocols.includes(url.protocol)) {
      this.problem(name, `must use ${protocols.map((p) => p.replace(':', '')).join(' or ')}, got ${url.protocol}`);
      return undefined;
    }
    return url;
  }

  oneOf<const T extends string>(name: string, values: readonly T[], fallback: T): T {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const match = values.find((v) => v === value.toLowerCase());
    if (match === undefined) {
      this.problem(name, `must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return match;
  }

  /** Comma-separated list, trimmed, empties dropped. */
  list(name: string): string[] {
    return (this.string(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }

  /** A JSON document checked against a schema (zod or anything with `safeParse`). */
  json<T>(name: string, schema: Schema<T>, options: { required?: boolean } = {}): T | undefined {
    const value = this.string(name, { required: options.required ?? false });
    if (value === undefined || value === '') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      this.problem(name, `is not valid JSON: ${(error as Error).message}`);
      return undefined;
    }
    const result = schema.safeParse(parsed);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const at = issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
      this.problem(name, `${issue.message}${at}`);
    }
    return undefined;
  }
}
