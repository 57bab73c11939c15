import { CONTEXT_ATTRIBUTES, isJsonMediaType, type CloudEvent } from '@tributary/core';
import {
  checkMediaType,
  checkSpecversion,
  checkString,
  checkTime,
  checkUri,
  collectExtensions,
} from './attributes.ts';
import { memberSpans, type Span } from './json-spans.ts';
import type { Problems } from './problems.ts';

// Structured mode: the context attributes plus data and data_base64 are not extensions.
const CONTEXT = CONTEXT_ATTRIBUTES;
/** RFC 4648 §4, padded. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON format allows `null` for an optional attribute the SDKs leave unset; treat it as absent. */
function optional(value: unknown): unknown {
  return value === null ? undefined : value;
}

/**
 * A CloudEvent in the JSON event format (structured mode, or one element of a batch), checked
 * against CloudEvents 1.0. Id, source, type, subject, time, data and every extension (`aliyun*`
 * included) are kept; only Alibaba's zone-named times are rewritten to UTC.
 */
export function structuredEvent(
  problems: Problems,
  text: string,
  span: Span,
  value: unknown,
): CloudEvent | undefined {
  if (!isJsonObject(value)) {
    problems.add('event', 'must be a JSON object');
    return undefined;
  }
  const before = problems.count;
  checkSpecversion(problems, value['specversion']);
  const id = checkString(problems, 'id', value['id'], true);
  const source = checkUri(problems, 'source', checkString(problems, 'source', value['source'], true), false);
  const type = checkString(problems, 'type', value['type'], true);
  const subject = checkString(problems, 'subject', optional(value['subject']), false);
  const time = checkTime(problems, 'time', optional(value['time']));
  const contentType = checkMediaType(
    problems,
    'datacontenttype',
    checkString(problems, 'datacontenttype', optional(value['datacontenttype']), false),
  );
  const dataschema = checkUri(
    problems,
    'dataschema',
    checkString(problems, 'dataschema', optional(value['dataschema']), false),
    true,
  );
  const extensions = collectExtensions(problems, value, CONTEXT);
  const payload = eventData(problems, text, span, value, contentType);
  if (problems.count > before) return undefined;
  return {
    id: id as string,
    source: source as string,
    type: type as string,
    subject,
    time,
    datacontenttype: payload.contentType,
    dataschema,
    data: payload.data,
    extensions,
  };
}

interface Payload {
  readonly data?: Uint8Array | string;
  readonly contentType: string | undefined;
}

/**
 * JSON format §3.1: `data` is a JSON value when the content type is JSON (or absent, which means
 * JSON), otherwise a string; `data_base64` carries bytes. JSON data travels as its original text.
 */
function eventData(
  problems: Problems,
  text: string,
  span: Span,
  value: JsonObject,
  contentType: string | undefined,
): Payload {
  const data = value['data'];
  const base64 = optional(value['data_base64']);
  if (data !== undefined && base64 !== undefined) {
    problems.add('data', 'data and data_base64 are both set; an event carries one of them');
    return { contentType };
  }
  if (base64 !== undefined) {
    if (typeof base64 !== 'string' || !BASE64.test(base64)) {
      problems.add('data_base64', 'must be a padded base64 string (RFC 4648 §4)');
      return { contentType };
    }
    return { data: Buffer.from(base64, 'base64'), contentType };
  }
  if (data === undefined) return { contentType };
  if (typeof data === 'string' && contentType !== undefined && !isJsonMediaType(contentType)) {
    return { data, contentType };
  }
  const raw = memberSpans(text, span).get('data') as Span;
  return { data: text.slice(raw.start, raw.end), contentType: contentType ?? 'application/json' };
}
