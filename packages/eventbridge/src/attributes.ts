import { CONTEXT_ATTRIBUTES, EXTENSION_NAME, type ExtensionValue } from '@tributary/core';
import type { Problems } from './problems.ts';
import { normalizeTime } from './time.ts';

/**
 * Checks of single attribute values against CloudEvents 1.0 §3.1 (type system) and §3.1.1/§3.2
 * (attribute formats). Each check reports into `problems` and returns the usable value or undefined.
 */

/** RFC 3986 characters: unreserved, reserved and percent-encoded octets. */
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** RFC 2046 / RFC 9110 media type: type "/" subtype, then optional parameters. */
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*(?:;.*)?$/s;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** §3.1.1 String: no control characters (U+0000-U+001F, U+007F-U+009F), no lone surrogates. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

function stringProblem(value: string): string | undefined {
  if (hasControlCharacter(value)) return 'must not contain control characters';
  if (!value.isWellFormed()) return 'must not contain lone surrogates';
  return undefined;
}

/** A string attribute; `required` ones must be present and non-empty (§3.1: REQUIRED attributes). */
export function checkString(
  problems: Problems,
  name: string,
  value: unknown,
  required: boolean,
): string | undefined {
  if (value === undefined) {
    if (required) problems.add(name, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.add(name, `must be a string, got ${describe(value)}`);
    return undefined;
  }
  if (value === '') {
    problems.add(name, 'must not be empty');
    return undefined;
  }
  const problem = stringProblem(value);
  if (problem !== undefined) {
    problems.add(name, problem);
    return undefined;
  }
  return value;
}

/** §3.1.1 URI-reference (source) or absolute URI (dataschema). */
export function checkUri(
  problems: Problems,
  name: string,
  value: string | undefined,
  absolute: boolean,
): string | undefined {
  if (value === undefined) return undefined;
  if (!URI_CHARS.test(value)) {
    problems.add(
      name,
      'must be a URI-reference: spaces and other characters outside RFC 3986 must be percent-encoded',
    );
    return undefined;
  }
  const colon = value.search(/[:/?#]/);
  const hasScheme = colon !== -1 && value[colon] === ':';
  if ((absolute || hasScheme) && !SCHEME.test(value)) {
    problems.add(name, absolute ? 'must be an absolute URI with a scheme' : 'has an invalid URI scheme');
    return undefined;
  }
  return value;
}

export function checkMediaType(
  problems: Problems,
  name: string,
  value: string | undefined,
): string | undefined {
  if (value === undefined || MEDIA_TYPE.test(value)) return value;
  problems.add(name, `must be an RFC 2046 media type such as application/json, got ${JSON.stringify(value)}`);
  return undefined;
}

/** §3.2 time, with Alibaba's zone-named samples converted to UTC (see time.ts). */
export function checkTime(problems: Problems, name: string, value: unknown): string | undefined {
  const text = checkString(problems, name, value, false);
  if (text === undefined) return undefined;
  const result = normalizeTime(text);
  if (result.ok) return result.time;
  problems.add(name, result.message);
  return undefined;
}

export function checkSpecversion(problems: Problems, value: unknown): void {
  const specversion = checkString(problems, 'specversion', value, true);
  if (specversion !== undefined && specversion !== '1.0') {
    problems.add('specversion', `must be "1.0", got ${JSON.stringify(specversion)}`);
  }
}

/** §3.1.3 extension names and §3.1.1 type system: String, Integer (32-bit) or Boolean. */
export function checkExtension(problems: Problems, name: string, value: unknown): ExtensionValue | undefined {
  if (!EXTENSION_NAME.test(name) || CONTEXT_ATTRIBUTES.has(name)) {
    problems.add(
      name,
      'is not a valid extension name: lower-case ASCII letters and digits only, not a context attribute',
    );
    return undefined;
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return value;
    problems.add(
      name,
      `must be a string, a 32-bit integer or a boolean, got number ${JSON.stringify(value)}`,
    );
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.add(name, `must be a string, a 32-bit integer or a boolean, got ${describe(value)}`);
    return undefined;
  }
  const problem = stringProblem(value);
  if (problem !== undefined) {
    problems.add(name, problem);
    return undefined;
  }
  return value;
}

/**
 * Every attribute outside `context` is an extension: each is checked (problems recorded) and the
 * valid ones collected. Undefined when there are none, as core's CloudEvent expects.
 */
export function collectExtensions(
  problems: Problems,
  attributes: Readonly<Record<string, unknown>>,
  context: ReadonlySet<string>,
): Record<string, ExtensionValue> | undefined {
  let extensions: Record<string, ExtensionValue> | undefined;
  for (const name in attributes) {
    if (context.has(name)) continue;
    const extension = checkExtension(problems, name, attributes[name]);
    if (extension !== undefined) (extensions ??= {})[name] = extension;
  }
  return extensions;
}
