import type { IncomingHttpHeaders } from 'node:http';
import {
  isJsonMediaType,
  percentDecodeHeaderValue,
  type CloudEvent,
  type ExtensionValue,
} from '@tributary/core';
import {
  checkExtension,
  checkMediaType,
  checkSpecversion,
  checkString,
  checkTime,
  checkUri,
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
  const extensions: Record<string, ExtensionValue> = {};
  let extensionCount = 0;
  for (const name in attributes) {
    if (CONTEXT.has(name)) continue;
    const extension = checkExtension(problems, name, attributes[name]);
    if (extension !== undefined) {
      extensions[name] = extension;
      extensionCount++;
    }
  }
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
    extensions: extensionCount > 0 ? extensions : undefined,
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
