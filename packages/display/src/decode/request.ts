import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '@tributary/core';
import type { DecodedEvent } from '../displayed-event.ts';
import { invalid } from './attributes.ts';
import { decodeBinary } from './binary.ts';
import { decodeStructured } from './structured.ts';

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';

/**
 * Decodes one HTTP request into the events it carries, in any of the three content modes of the
 * HTTP binding (§3): batch and structured by their media type, binary otherwise. Throws an
 * HttpError (400, or 415 for an event format other than JSON) with the reason.
 */
export function decodeRequest(headers: IncomingHttpHeaders, body: Buffer): DecodedEvent[] {
  const mediaType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === BATCH) {
    const batch = parseJson(body);
    if (!Array.isArray(batch)) throw invalid('a batch must be a JSON array of events');
    return batch.map((event, index) => decodeStructured(event, 'batch', `event ${index} of the batch: `));
  }
  if (mediaType === STRUCTURED) return [decodeStructured(parseJson(body), 'structured')];
  if (mediaType.startsWith('application/cloudevents')) {
    throw new HttpError(
      415,
      'UNSUPPORTED_EVENT_FORMAT',
      `event format ${mediaType} is not supported; use JSON`,
    );
  }
  return [decodeBinary(headers, body)];
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, 'MALFORMED_JSON', `the body is not valid JSON: ${(error as Error).message}`);
  }
}
