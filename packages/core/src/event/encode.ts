import type { CloudEvent, Extensions, ExtensionValue } from './cloudevent.ts';
import { isJsonMediaType } from './attributes.ts';
import { percentEncodeHeaderValue } from './percent-encode.ts';

export type ContentMode = 'binary' | 'structured';

export interface EncodedRequest {
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | undefined;
}

export interface EncoderOptions {
  readonly mode: ContentMode;
  /** K_CE_OVERRIDES extensions: applied last, so they win over the adapter's own. */
  readonly overrides: Extensions;
  /** Headers sent with every request (e.g. `Kn-Namespace`). */
  readonly staticHeaders?: Readonly<Record<string, string>>;
  /** Clock for events without `time`; injectable for tests. */
  readonly now?: () => Date;
}

export type Encoder = (event: CloudEvent) => EncodedRequest;

const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

/**
 * Builds the wire form of events. Work that is the same for every event (override headers,
 * static headers) is done once here, not per event.
 */
export function createEncoder(options: EncoderOptions): Encoder {
  const now = options.now ?? (() => new Date());
  const overrideNames = new Set(Object.keys(options.overrides));
  return options.mode === 'binary'
    ? binaryEncoder(options, overrideNames, now)
    : structuredEncoder(options, overrideNames, now);
}

function binaryEncoder(options: EncoderOptions, overrideNames: ReadonlySet<string>, now: () => Date): Encoder {
  const fixed: Record<string, string> = { ...options.staticHeaders, 'ce-specversion': '1.0' };
  for (const [name, value] of Object.entries(options.overrides)) fixed[`ce-${name}`] = headerValue(value);
  // An adapter emits few distinct sources and types; encode each once.
  const encodedSource = memoized(percentEncodeHeaderValue);
  const encodedType = memoized(percentEncodeHeaderValue);
  return (event) => {
    const headers: Record<string, string> = { ...fixed };
    headers['ce-id'] = percentEncodeHeaderValue(event.id);
    headers['ce-source'] = encodedSource(event.source);
    headers['ce-type'] = encodedType(event.type);
    headers['ce-time'] = percentEncodeHeaderValue(event.time ?? now().toISOString());
    if (event.subject !== undefined) headers['ce-subject'] = percentEncodeHeaderValue(event.subject);
    if (event.dataschema !== undefined) headers['ce-dataschema'] = percentEncodeHeaderValue(event.dataschema);
    if (event.extensions !== undefined) {
      for (const name in event.extensions) {
        if (!overrideNames.has(name)) headers[`ce-${name}`] = headerValue(event.extensions[name] as ExtensionValue);
      }
    }
    const { data } = event;
    if (data === undefined) return { headers, body: undefined };
    if (typeof data === 'string' || data instanceof Uint8Array) {
      headers['content-type'] = event.datacontenttype ?? 'application/octet-stream';
      return { headers, body: data };
    }
    headers['content-type'] = event.datacontenttype ?? 'application/json';
    return { headers, body: JSON.stringify(data) };
  };
}

function structuredEncoder(options: EncoderOptions, overrideNames: ReadonlySet<string>, now: () => Date): Encoder {
  const headers: Record<string, string> = { ...options.staticHeaders, 'content-type': STRUCTURED_CONTENT_TYPE };
  return (event) => {
    const envelope: Record<string, unknown> = {
      specversion: '1.0',
      id: event.id,
      source: event.source,
      type: event.type,
      time: event.time ?? now().toISOString(),
    };
    if (event.subject !== undefined) envelope['subject'] = event.subject;
    if (event.dataschema !== undefined) envelope['dataschema'] = event.dataschema;
    if (event.extensions !== undefined) {
      for (const name in event.extensions) if (!overrideNames.has(name)) envelope[name] = event.extensions[name];
    }
    Object.assign(envelope, options.overrides);
    const { data } = event;
    if (data === undefined) {
      if (event.datacontenttype !== undefined) envelope['datacontenttype'] = event.datacontenttype;
      return { headers, body: JSON.stringify(envelope) };
    }
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      envelope['datacontenttype'] = event.datacontenttype ?? 'application/json';
      envelope['data'] = data;
      return { headers, body: JSON.stringify(envelope) };
    }
    const contentType = event.datacontenttype ?? 'application/octet-stream';
    envelope['datacontenttype'] = contentType;
    if (isJsonMediaType(contentType)) {
      // The payload already is a JSON document: splice it in without a parse/stringify round trip.
      const text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
      const head = JSON.stringify(envelope);
      return { headers, body: `${head.slice(0, -1)},"data":${text}}` };
    }
    if (typeof data === 'string') envelope['data'] = data;
    else envelope['data_base64'] = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
    return { headers, body: JSON.stringify(envelope) };
  };
}

/** A bounded cache in front of a pure string function; cleared when full, never grows past `limit`. */
function memoized(encode: (value: string) => string, limit = 1024): (value: string) => string {
  const cache = new Map<string, string>();
  return (value) => {
    let encoded = cache.get(value);
    if (encoded === undefined) {
      if (cache.size >= limit) cache.clear();
      cache.set(value, (encoded = encode(value)));
    }
    return encoded;
  };
}

/** HTTP binding §3.1.3.1: booleans and integers go out in their canonical string form. */
function headerValue(value: ExtensionValue): string {
  return typeof value === 'string' ? percentEncodeHeaderValue(value) : String(value);
}
