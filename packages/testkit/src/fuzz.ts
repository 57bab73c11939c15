import type { IncomingHttpHeaders } from 'node:http';
import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';

/**
 * What the checks need from @tributary/core, passed in by the caller: core's own tests use this
 * kit, so the kit does not import core.
 */
export interface CoreUnderTest {
  readonly HttpError: abstract new (...args: never[]) => Error;
  readonly createEncoder: (options: {
    mode: 'binary' | 'structured';
    overrides: Readonly<Record<string, string | number | boolean>>;
  }) => (event: never) => { readonly headers: Record<string, string>; readonly body: unknown };
}

/** The shape of core's CloudEvent, as far as the checks look at it. */
export interface EventUnderTest {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string | undefined;
  readonly time?: string | undefined;
  readonly datacontenttype?: string | undefined;
  readonly dataschema?: string | undefined;
  readonly data?: unknown;
  readonly extensions?: Readonly<Record<string, unknown>> | undefined;
}

// CloudEvents 1.0 spec.md §3: the context attribute names an extension may not take.
const CONTEXT_ATTRIBUTES = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
  'data',
  'data_base64',
]);
// As core's isJsonMediaType: the JSON types whose text structured mode embeds as is.
function isJsonMediaType(value: string | undefined): boolean {
  const media = (value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return media === 'application/json' || media === 'text/json' || media.endsWith('+json');
}

/**
 * Shared pieces for the property tests of every intake's pure mapping: arbitraries for hostile
 * input (any bytes, any headers, real payloads with random parts replaced) and the one property
 * they all assert: the mapping answers with an HttpError or with valid CloudEvents, nothing else.
 */

/** Any JSON value, including deep nesting, odd numbers and strings with control characters. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }),
);

/** Any byte string: raw bytes, text with any code points, or JSON text. */
export const anyBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: 'binary', maxLength: 256 }).map((text) => Buffer.from(text, 'utf8')),
  anyJson.map((value) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8')),
);

/**
 * A real payload with up to five of its values replaced by any JSON value or removed: the shape
 * an intake expects, broken where its field accessors do not look.
 */
export function mutatedJson(seeds: readonly unknown[]): fc.Arbitrary<unknown> {
  // Strings are what mappings copy into attributes: half the mutations replace a string value
  // with a hostile string; the others replace any value with any JSON value, or delete it.
  const hostileString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 24 }),
    fc.constantFrom('', ' ', '\n', 'a\tb', '\u0085', '\ud800', '-1', '1e999', '0x10', '%zz', 'a b'),
  );
  const mutation = fc.oneof(
    fc.record({ at: fc.nat(), strings: fc.constant(true), value: hostileString }),
    fc.record({ at: fc.nat(), strings: fc.constant(false), value: fc.option(anyJson, { nil: undefined }) }),
  );
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { maxLength: 5 }))
    .map(([seed, mutations]) => {
      const copy = structuredClone(seed);
      for (const { at, strings, value } of mutations) replaceAt(copy, at, value, strings);
      return copy;
    });
}

/** Bytes of a mutated seed (the common case), or anything at all. */
export function payloadBytes(seeds: readonly unknown[]): fc.Arbitrary<Buffer> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: mutatedJson(seeds).map((value) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8')),
    },
    { weight: 1, arbitrary: anyBytes },
  );
}

/**
 * A header value as Node's parser delivers one: bytes read as latin1, so any of tab, printable
 * ASCII and U+0080..U+00FF (obs-text, including the C1 controls), with the ends trimmed
 * (RFC 9110 §5.5; llhttp refuses the other control bytes).
 */
const headerCharacter = fc
  .oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 1, arbitrary: fc.constant(0x09) },
    { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  )
  .map((code) => String.fromCharCode(code));
export const anyHeaderString: fc.Arbitrary<string> = fc
  .string({ unit: headerCharacter, maxLength: 64 })
  .map((value) => value.replace(/^[\t ]+|[\t ]+$/g, ''));

/**
 * Header values as Node delivers them: a string or absent. Node joins repeated headers with ", "
 * (or keeps the first, for content-type and the like); only set-cookie ever arrives as a list.
 */
export const anyHeaderValue: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 4, arbitrary: anyHeaderString },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/**
 * Headers where each name of `names` is either one of its `likely` values (the request an intake
 * expects), any value, or absent; plus a few headers with arbitrary names.
 */
export function headersFor(
  names: Readonly<Record<string, fc.Arbitrary<string | undefined>>>,
): fc.Arbitrary<IncomingHttpHeaders> {
  const entries = Object.entries(names).map(
    ([name, likely]) =>
      [name, fc.oneof({ weight: 3, arbitrary: likely }, { weight: 1, arbitrary: anyHeaderValue })] as const,
  );
  return fc
    .tuple(
      fc.record(Object.fromEntries(entries)),
      fc.dictionary(fc.stringMatching(/^[a-z0-9-]{1,12}$/), anyHeaderString, {
        maxKeys: 3,
      }),
    )
    .map(([known, extra]) => {
      const headers: IncomingHttpHeaders = { ...extra };
      for (const [name, value] of Object.entries(known)) {
        if (value !== undefined) headers[name] = value as string;
      }
      return headers;
    });
}

/**
 * Runs `map` and checks its answer: an HttpError (any status) passes; returned events must be
 * valid CloudEvents; any other exception fails the property, reporting the input.
 */
export async function expectHttpErrorOrValidEvents(
  core: CoreUnderTest,
  map: () => readonly EventUnderTest[] | Promise<readonly EventUnderTest[]>,
): Promise<void> {
  let events: readonly EventUnderTest[];
  try {
    events = await map();
  } catch (error) {
    if (error instanceof core.HttpError) return;
    throw error;
  }
  for (const event of events) {
    const problems = cloudEventProblems(core, event);
    if (problems.length > 0) {
      const { data, ...attributes } = event;
      throw new Error(
        `invalid CloudEvent ${JSON.stringify(attributes)} (data: ${typeof data}): ${problems.join('; ')}`,
      );
    }
  }
}

// CloudEvents 1.0 §"Type System", String: no C0/C1 control characters, no lone surrogates.
function badString(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return !value.isWellFormed();
}
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
// RFC 2045 §5.1: type "/" subtype *(";" parameter), tokens of printable ASCII.
const MEDIA_TYPE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+(\s*;.*)?$/;

/**
 * Every way `event` breaks CloudEvents 1.0 (spec.md §3) or cannot be put on the wire by core's
 * encoder in either content mode; empty when it is valid.
 */
export function cloudEventProblems(core: CoreUnderTest, event: EventUnderTest): string[] {
  const problems: string[] = [];
  const string = (name: string, value: unknown, required: boolean) => {
    if (value === undefined) {
      if (required) problems.push(`${name} is required`);
      return;
    }
    if (typeof value !== 'string') return problems.push(`${name} must be a string`);
    if (required && value === '') problems.push(`${name} must not be empty`);
    if (badString(value)) problems.push(`${name} contains a control character or lone surrogate`);
  };
  string('id', event.id, true);
  string('source', event.source, true);
  string('type', event.type, true);
  string('subject', event.subject, false);
  string('time', event.time, false);
  string('datacontenttype', event.datacontenttype, false);
  string('dataschema', event.dataschema, false);
  if (typeof event.time === 'string' && (!RFC3339.test(event.time) || Number.isNaN(Date.parse(event.time)))) {
    problems.push(`time ${JSON.stringify(event.time)} is not RFC 3339`);
  }
  // Parameters may hold any text but control characters, which badString already reports.
  if (typeof event.datacontenttype === 'string' && !MEDIA_TYPE.test(event.datacontenttype)) {
    problems.push(`datacontenttype ${JSON.stringify(event.datacontenttype)} is not a media type`);
  }
  if (typeof event.dataschema === 'string' && !URL.canParse(event.dataschema)) {
    problems.push('dataschema is not an absolute URI');
  }
  for (const [name, value] of Object.entries(event.extensions ?? {})) {
    if (!/^[a-z0-9]+$/.test(name) || CONTEXT_ATTRIBUTES.has(name))
      problems.push(`extension name ${JSON.stringify(name)}`);
    if (typeof value === 'number' && !(Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31)) {
      problems.push(`extension ${name} is not a 32-bit integer`);
    } else if (typeof value === 'string') {
      string(`extension ${name}`, value, false);
    } else if (typeof value !== 'boolean' && typeof value !== 'number') {
      problems.push(`extension ${name} has a ${typeof value} value`);
    }
  }
  const { data } = event;
  if ((typeof data === 'string' || data instanceof Uint8Array) && isJsonMediaType(event.datacontenttype)) {
    try {
      JSON.parse(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
    } catch {
      problems.push('data is declared JSON but does not parse');
    }
  }
  if (problems.length === 0) problems.push(...wireProblems(core, event));
  return problems;
}

/** Core's encoder must produce a parsable structured envelope and legal binary-mode headers. */
function wireProblems(core: CoreUnderTest, event: EventUnderTest): string[] {
  const problems: string[] = [];
  try {
    const structured = core.createEncoder({ mode: 'structured', overrides: {} })(event as never);
    JSON.parse(String(structured.body));
  } catch (error) {
    problems.push(`structured mode: ${(error as Error).message}`);
  }
  try {
    const binary = core.createEncoder({ mode: 'binary', overrides: {} })(event as never);
    for (const [name, value] of Object.entries(binary.headers)) validateHeaderValue(name, value);
  } catch (error) {
    problems.push(`binary mode: ${(error as Error).message}`);
  }
  return problems;
}

/**
 * Replaces (or deletes, for `undefined`) the `at`-th value of a depth-first walk of `root`;
 * with `strings`, the `at`-th string value.
 */
function replaceAt(root: unknown, at: number, value: unknown, strings: boolean): void {
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      const slot: string | number = Array.isArray(node) ? Number(key) : key;
      const child = (node as Record<string, unknown>)[key];
      if (!strings || typeof child === 'string') slots.push([node as Record<string, unknown>, slot]);
      if (slots.length < 5000) walk(child);
    }
  };
  walk(root);
  if (slots.length === 0) return;
  const [parent, key] = slots[at % slots.length] as [Record<string, unknown>, string];
  if (value === undefined && !Array.isArray(parent)) delete parent[key];
  else parent[key] = value ?? null;
}
