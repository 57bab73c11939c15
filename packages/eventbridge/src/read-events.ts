import type { IncomingHttpHeaders } from 'node:http';
import { HttpError, isJsonMediaType, type CloudEvent } from '@tributary/core';
import { binaryEvent, isBinaryMode } from './binary.ts';
import { elementSpans, memberSpans, topLevelSpan, type Span } from './json-spans.ts';
import { Problems } from './problems.ts';
import { isJsonObject, structuredEvent } from './structured.ts';
import { awsEnvelopeEvent, ossRecordEvent } from './to-cloudevent.ts';

export const STRUCTURED = 'application/cloudevents+json';
export const BATCH = 'application/cloudevents-batch+json';

export interface EventRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Lower-cased media type without parameters, '' when absent. */
  readonly mediaType: string;
}

export interface ReadOptions {
  /** CloudEvent source for AWS envelopes (the event bus ARN). */
  readonly awsSource?: string | undefined;
}

export type Shape = 'binary' | 'structured' | 'batch' | 'oss-notification' | 'aws-envelope';

export interface ReadResult {
  readonly shape: Shape;
  readonly events: CloudEvent[];
}

/**
 * Every shape EventBridge and its neighbours push, told apart the way the HTTP binding does:
 * the media type first (structured, batch), then `ce-*` headers (binary), then the JSON body
 * (an array is a batch; without `specversion`, `events` is a direct OSS notification and
 * `detail-type` an AWS envelope; anything else must be a CloudEvent). Throws 415 for a body it cannot read as any of them and
 * 400 listing every problem of every event: a request is forwarded whole or not at all.
 */
export function readEvents(request: EventRequest, options: ReadOptions = {}): ReadResult {
  const { mediaType, headers } = request;
  const problems = new Problems();
  if (mediaType !== STRUCTURED && mediaType !== BATCH && isBinaryMode(headers)) {
    const event = binaryEvent(problems, headers, request.body);
    problems.throwIfAny();
    return { shape: 'binary', events: [event as CloudEvent] };
  }
  if (!isJsonMediaType(mediaType)) {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `content type must be ${STRUCTURED}, ${BATCH}, application/json, or any type with ce-* headers (binary mode)`,
    );
  }
  requireUtf8(headers['content-type'] ?? '');
  // Valid UTF-8: core refuses a JSON body that is not (RFC 8259 §8.1) before it reaches an intake.
  const text = request.body.toString('utf8');
  const value = parseJson(text);
  const span = topLevelSpan(text);
  const result = readJson(problems, text, span, value, mediaType, options);
  problems.throwIfAny();
  return result;
}

function readJson(
  problems: Problems,
  text: string,
  span: Span,
  value: unknown,
  mediaType: string,
  options: ReadOptions,
): ReadResult {
  if (mediaType === BATCH && !Array.isArray(value)) {
    problems.add('body', `a ${BATCH} body must be a JSON array`);
    return { shape: 'batch', events: [] };
  }
  if (Array.isArray(value)) {
    const spans = elementSpans(text, span);
    return {
      shape: 'batch',
      events: collect(value, (item, i) => structuredEvent(problems.at(i), text, spans[i] as Span, item)),
    };
  }
  // A body with `specversion` is a CloudEvent whatever else it holds.
  if (mediaType !== STRUCTURED && isJsonObject(value) && !('specversion' in value)) {
    if (Array.isArray(value['events'])) {
      const records = value['events'];
      const spans = elementSpans(text, memberSpans(text, span).get('events') as Span);
      return {
        shape: 'oss-notification',
        events: collect(records, (item, i) => ossRecordEvent(problems.at(i), text, spans[i] as Span, item)),
      };
    }
    if ('detail-type' in value) {
      return {
        shape: 'aws-envelope',
        events: collect([value], () => awsEnvelopeEvent(problems, text, span, value, options.awsSource)),
      };
    }
  }
  return {
    shape: 'structured',
    events: collect([value], () => structuredEvent(problems, text, span, value)),
  };
}

function collect(
  items: readonly unknown[],
  map: (item: unknown, index: number) => CloudEvent | undefined,
): CloudEvent[] {
  const events: CloudEvent[] = [];
  items.forEach((item, index) => {
    const event = map(item, index);
    if (event !== undefined) events.push(event);
  });
  return events;
}

/** RFC 8259 §8.1: JSON exchanged between systems is UTF-8; any spelling of that charset is fine. */
function requireUtf8(contentType: string): void {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  if (match === null) return;
  const charset = (match[1] as string).toLowerCase();
  if (charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpError(
      415,
      'UNSUPPORTED_CHARSET',
      `JSON must be UTF-8, got charset ${JSON.stringify(match[1])}`,
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = `is not valid JSON: ${(error as Error).message}`;
    throw new HttpError(400, 'INVALID_EVENT', `body: ${message}`, {
      problems: [{ attribute: 'body', message }],
    });
  }
}
