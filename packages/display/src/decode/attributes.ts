import { EXTENSION_NAME, HttpError } from '@tributary/core';
import type { AttributeValue } from '../displayed-event.ts';

const REQUIRED = ['specversion', 'id', 'source', 'type'] as const;
const STRING_ONLY = ['subject', 'time', 'datacontenttype', 'dataschema'] as const;
/** RFC 3339 §5.6 date-time. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** A request that is not a valid CloudEvent: 400 with the reason, the stream goes on. */
export function invalid(message: string): HttpError {
  return new HttpError(400, 'INVALID_CLOUDEVENT', message);
}

/**
 * CloudEvents 1.0 §3.1: the four required attributes are non-empty strings, `specversion` is
 * `1.0`, the optional core attributes are strings, and every name is lower-case letters and
 * digits (§3.1.1). A `time` that is not RFC 3339 is shown with a warning rather than refused:
 * Alibaba's own OSS samples carry `…149Asia/Shanghai` (docs/contracts.md §7), and seeing them is the
 * point of a display.
 */
export function checkAttributes(
  attributes: Readonly<Record<string, AttributeValue>>,
  where: string,
): string[] {
  for (const name of REQUIRED) {
    const value = attributes[name];
    if (value === undefined) throw invalid(`${where}required attribute "${name}" is missing`);
    if (typeof value !== 'string' || value === '')
      throw invalid(`${where}"${name}" must be a non-empty string`);
  }
  if (attributes['specversion'] !== '1.0') {
    throw invalid(
      `${where}specversion ${JSON.stringify(attributes['specversion'])} is not supported; only 1.0 is`,
    );
  }
  for (const name of STRING_ONLY) {
    const value = attributes[name];
    if (value !== undefined && typeof value !== 'string') throw invalid(`${where}"${name}" must be a string`);
  }
  for (const name of Object.keys(attributes)) {
    if (!EXTENSION_NAME.test(name)) {
      throw invalid(
        `${where}attribute name ${JSON.stringify(name)} is invalid: only lower-case letters and digits`,
      );
    }
  }
  const warnings: string[] = [];
  const time = attributes['time'];
  if (typeof time === 'string' && !RFC3339.test(time))
    warnings.push(`time ${JSON.stringify(time)} is not RFC 3339`);
  return warnings;
}
