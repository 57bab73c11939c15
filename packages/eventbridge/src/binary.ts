import type { IncomingHttpHeaders } from 'node:http';
import {
  isJsonMediaType,
  percentDecodeHeaderValue,
  type CloudEvent,
} from '@tributary/core';
import {
  checkMediaType,
  checkSpecversion,
  checkString,
  checkTime,
  checkUri,
  collectExtensions,
} from './attributes.ts';
import type { Problems } from './problems.ts';

const CONTEXT = new Set(['specversion', 'id', 'source', 'type', 'subject', 'time', 'dataschema']);
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** HTTP binding §3.1.3: a request is in binary mode when it carries `ce-*` attribute headers. */
export function isBinaryMode(headers: IncomingHttpHeaders): boolean {
  for (const name in headers) if (name.startsWith('ce-')) return true;
  return false;
}

/**
 * A binary-mode CloudEvent: attributes from percent-decoded `ce-*` headers (§3.1.3.2), the
 * Content-Type as datacontenttype, and the body bytes as data, forwarded untouched.
 */
export function binaryEvent(
  problems: Problems,
  headers: IncomingHttpHeaders,
  body: Buffer,
): CloudEvent | undefined {
  const attributes: Record<string, string> = {};
  for (const name in headers) {
    const raw = headers[name];
    if (!name.startsWith('ce-') || raw === undefined) continue;
    attributes[name.slice(3)] = percentDecodeHeaderValue(Array.isArray(raw) ? raw.join(', ') : raw);
  }
  const before = problems.count;
  checkSpecversion(problems, attributes['specversion']);
  const id = checkString(problems, 'id', attributes['id'], true);
  const source = checkUri(
    problems,
    'source',
    checkString(problems, 'source', attributes['source'], true),
    false,
  );
  const type = checkString(problems, 'type', attributes['type'], true);
  const subject = checkString(problems, 'subject', attributes['subject'], false);
  const time = checkTime(problems, 'time', attributes['time']);
  const dataschema = checkUri(
    problems,
    'dataschema',
    checkString(problems, 'dataschema', attributes['dataschema'], false),
    true,
  );
  const contentType = checkMediaType(problems, 'datacontenttype', headers['content-type'] || undefined);
  const extensions = collectExtensions(problems, attributes, CONTEXT);
  if (body.length > 0 && contentType !== undefined && isJsonMediaType(contentType))
    checkJsonBody(problems, body);
  if (problems.count > before) return undefined;
  return {
    id: id as string,
    source: source as string,
    type: type as string,
    subject,
    time,
    dataschema,
    datacontenttype: contentType,
    data: body.length > 0 ? body : undefined,
    extensions,
  };
}

/** A JSON body would otherwise be spliced unparsed into a structured-mode delivery and break it. */
function checkJsonBody(problems: Problems, body: Buffer): void {
  try {
    JSON.parse(UTF8.decode(body));
  } catch (error) {
    problems.add('data', `Content-Type says JSON but the body is not JSON: ${(error as Error).message}`);
  }
}
