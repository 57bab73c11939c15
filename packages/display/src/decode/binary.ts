import type { IncomingHttpHeaders } from 'node:http';
import { HttpError, percentDecodeHeaderValue } from '@tributary/core';
import type { DecodedEvent } from '../displayed-event.ts';
import { checkAttributes, invalid } from './attributes.ts';
import { decodeDataBytes } from './data.ts';

/**
 * HTTP binding §3.1 (binary mode): every `ce-<name>` header is an attribute whose value is
 * percent-decoded as UTF-8 (§3.1.3.2: `Push%20Hook` is `Push Hook`), `Content-Type` is
 * `datacontenttype`, and the body is the data as is. Values arrive as strings: the wire does not
 * say whether `ce-the: 42` was an integer.
 */
export function decodeBinary(headers: IncomingHttpHeaders, body: Buffer): DecodedEvent {
  const attributes: Record<string, string> = {};
  for (const [header, value] of Object.entries(headers)) {
    if (!header.startsWith('ce-') || value === undefined) continue;
    const name = header.slice(3);
    // §3.1.1: datacontenttype travels as Content-Type; data never travels in a header.
    if (name === 'datacontenttype' || name === 'data' || name === 'data_base64') {
      throw invalid(`header ${header} is not allowed in binary mode`);
    }
    attributes[name] = percentDecodeHeaderValue(Array.isArray(value) ? value.join(',') : value);
  }
  if (attributes['specversion'] === undefined) {
    throw new HttpError(
      400,
      'NOT_A_CLOUDEVENT',
      'not a CloudEvent: no ce-specversion header (binary mode) and the content type is not application/cloudevents+json (structured mode)',
    );
  }
  const contentType = headers['content-type'];
  if (contentType !== undefined && contentType !== '') attributes['datacontenttype'] = contentType;
  const warnings = checkAttributes(attributes, '');
  const data = body.length === 0 ? undefined : decodeDataBytes(body, contentType, warnings);
  return { mode: 'binary', attributes, data, warnings };
}
