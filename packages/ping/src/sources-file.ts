import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CONTEXT_ATTRIBUTES, EXTENSION_NAME } from '@tributary/core';
import { buildPingSource, type PingSource } from './source.ts';
import type { ScheduleCache } from './schedule.ts';

/** An entry of the sources file that was not loaded, and every reason why. */
export interface RejectedEntry {
  /** Position in the list, from 0. */
  readonly index: number;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly problems: readonly { readonly field: string; readonly message: string }[];
}

export interface SourcesFile {
  readonly sources: readonly PingSource[];
  readonly rejected: readonly RejectedEntry[];
}

export type SourcesFileResult = { readonly ok: true; readonly file: SourcesFile } | { readonly ok: false; readonly message: string };

const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

const sink = z
  .string()
  .nullish()
  .transform((value, ctx) => {
    if (value === undefined || value === null) return undefined;
    const url = URL.parse(value);
    if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url;
    ctx.addIssue({ code: 'custom', message: `must be an absolute http or https URL, got ${JSON.stringify(value)}` });
    return z.NEVER;
  });

// Knative's CloudEventOverrides shape, checked as core checks K_CE_OVERRIDES (docs/contracts.md §1).
export const ceOverridesSchema = z
  .strictObject({ extensions: z.record(z.string(), z.string()).nullish() })
  .nullish()
  .superRefine((value, ctx) => {
    for (const name of Object.keys(value?.extensions ?? {})) {
      const message = CONTEXT_ATTRIBUTES.has(name)
        ? `${JSON.stringify(name)} names a core CloudEvents attribute and cannot be overridden`
        : EXTENSION_NAME.test(name)
          ? undefined
          : `extension name ${JSON.stringify(name)} must match [a-z0-9]+ (CloudEvents 1.0 naming)`;
      if (message) ctx.addIssue({ code: 'custom', path: ['extensions', name], message });
    }
  })
  .transform((value) => value?.extensions ?? undefined);

/** One entry: the PingSource spec fields plus its identity; unknown keys are refused (a typo is not silently ignored). */
export const sourceEntrySchema = z.strictObject({
  namespace: z.string(),
  name: z.string(),
  schedule: optionalText,
  timezone: optionalText,
  data: optionalText,
  dataBase64: optionalText,
  contentType: optionalText,
  sink,
  ceOverrides: ceOverridesSchema,
});

/**
 * Reads the sources file (a JSON or YAML list, e.g. a mounted ConfigMap key). A document that is
 * not a list fails as a whole; a bad entry is rejected with its reasons and the others load.
 */
export function parseSourcesFile(text: string, defaultSink: URL | undefined): SourcesFileResult {
  let document: unknown;
  try {
    document = parseDocument(text);
  } catch (error) {
    return { ok: false, message: `cannot be parsed as JSON or YAML: ${(error as Error).message}` };
  }
  if (document === null || document === undefined) document = [];
  if (!Array.isArray(document)) return { ok: false, message: 'must hold a list of ping sources' };

  const sources: PingSource[] = [];
  const rejected: RejectedEntry[] = [];
  const seen = new Map<string, number>();
  const cache: ScheduleCache = new Map();
  document.forEach((entry: unknown, index) => {
    const reject = (problems: RejectedEntry['problems']) =>
      rejected.push({ index, namespace: stringField(entry, 'namespace'), name: stringField(entry, 'name'), problems });
    const parsed = sourceEntrySchema.safeParse(entry);
    if (!parsed.success) {
      return reject(parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || 'entry', message: issue.message })));
    }
    const built = buildPingSource(parsed.data, cache);
    if (!built.ok) return reject(built.problems);
    const { source } = built;
    const first = seen.get(source.key);
    if (first !== undefined) return reject([{ field: 'name', message: `${source.key} is already defined by entry ${first}` }]);
    if (source.sink === undefined && defaultSink === undefined) {
      return reject([{ field: 'sink', message: 'no sink: set sink on the entry or K_SINK' }]);
    }
    seen.set(source.key, index);
    sources.push(source);
  });
  return { ok: true, file: { sources, rejected } };
}

function parseDocument(text: string): unknown {
  // JSON is YAML, but JSON.parse is far faster on a 10,000-entry list.
  if (/^\s*\[/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // A YAML flow sequence, or broken JSON: YAML reports it with a line number.
    }
  }
  return parseYaml(text);
}

function stringField(entry: unknown, key: string): string | undefined {
  const value = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}
