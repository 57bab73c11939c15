import { HttpError } from '@tributary/core';
import { isObject, type JsonObject } from './payload-fields.ts';

export const JSON_MEDIA_TYPE = 'application/json';
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

export interface DecodedBody {
  readonly payload: JsonObject;
  /** The JSON text exactly as GitHub sent it: the body bytes, or the decoded `payload=` field. */
  readonly data: Buffer | string;
}

/**
 * A webhook's content type is `application/json` or, when the hook was created with
 * `content_type: form`, `application/x-www-form-urlencoded` with the JSON in a `payload` field.
 * Either way the payload must be one JSON object.
 */
export function decodeBody(mediaType: string, body: Buffer): DecodedBody {
  if (mediaType === FORM_MEDIA_TYPE) {
    const text = new URLSearchParams(body.toString('utf8')).get('payload');
    if (text === null) throw new HttpError(400, 'PAYLOAD_FIELD_MISSING', 'form body has no payload field');
    return { payload: parseObject(text), data: text };
  }
  return { payload: parseObject(body.toString('utf8')), data: body };
}

function parseObject(text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'PAYLOAD_MALFORMED', `payload is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw new HttpError(400, 'PAYLOAD_NOT_OBJECT', 'payload is not a JSON object');
  return value;
}
