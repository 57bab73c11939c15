import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { isCloudEventString, type CloudEvent, type EventTypeInfo } from '@tributary/core';
import type { DataMode } from './config.ts';

export const SQS_MESSAGE_TYPE = 'com.amazon.sqs.message';

/** Extension names are TriggerMesh's: `sqsmsg` + the attribute name, lower-cased, alphanumerics only. */
const EXTENSION_PREFIX = 'sqsmsg';

export interface MessageEventOptions {
  /** The queue ARN. */
  readonly source: string;
  readonly dataMode: DataMode;
}

/**
 * The event TriggerMesh's default processor makes of a message (docs/contracts.md §8): id = MessageId,
 * source = queue ARN, one `sqsmsg<name>` extension per non-binary message attribute. `time` is the
 * SentTimestamp, as Knative's older awssqs source set it (TriggerMesh leaves the send time).
 */
export function sqsMessageEvent(message: Message, options: MessageEventOptions): CloudEvent {
  const body = message.Body ?? '';
  const bodyIsJson = isJson(body);
  const inBodyMode = options.dataMode === 'body';
  return {
    id: message.MessageId ?? '',
    type: SQS_MESSAGE_TYPE,
    source: options.source,
    time: sentTime(message),
    datacontenttype: inBodyMode && !bodyIsJson ? 'text/plain; charset=utf-8' : 'application/json',
    data: inBodyMode ? body : messageJson(message, bodyIsJson),
    extensions: messageExtensions(message.MessageAttributes),
  };
}

/**
 * RFC 3339 from the epoch milliseconds SQS reports; undefined when the attribute was not returned
 * or is no time a Date can hold (±8.64e15 ms), which would make toISOString throw.
 */
export function sentTime(message: Message): string | undefined {
  const text = message.Attributes?.SentTimestamp;
  const time = new Date(text === undefined || text === '' ? Number.NaN : Number(text));
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** Binary and Binary.* attributes cannot be extension values and are skipped, as TriggerMesh does. */
export function messageExtensions(
  attributes: Message['MessageAttributes'],
): Record<string, string> | undefined {
  if (attributes === undefined) return undefined;
  const extensions: Record<string, string> = {};
  let any = false;
  for (const [name, value] of Object.entries(attributes)) {
    if (value.DataType?.startsWith('Binary') || value.StringValue === undefined) continue;
    // SQS allows tab, CR and LF in a string attribute; CloudEvents 1.0 §3.1.1 allows no control
    // character in an extension value, so such an attribute stays in `data` only.
    if (!isCloudEventString(value.StringValue)) continue;
    extensions[extensionName(name)] = value.StringValue;
    any = true;
  }
  return any ? extensions : undefined;
}

export function extensionName(attributeName: string): string {
  return EXTENSION_PREFIX + attributeName.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The whole message as JSON, field names as TriggerMesh's Go SDK serializes them. A JSON body is
 * embedded verbatim (TriggerMesh's `json.RawMessage`), so big numbers and key order survive;
 * any other body is a JSON string. Binary attribute values are base64, as Go encodes `[]byte`.
 */
export function messageJson(message: Message, bodyIsJson = isJson(message.Body ?? '')): string {
  const rest = JSON.stringify({
    Attributes: message.Attributes,
    MD5OfBody: message.MD5OfBody,
    MD5OfMessageAttributes: message.MD5OfMessageAttributes,
    MessageAttributes: message.MessageAttributes && attributesJson(message.MessageAttributes),
    MessageId: message.MessageId,
    ReceiptHandle: message.ReceiptHandle,
  });
  if (message.Body === undefined) return rest;
  const body = bodyIsJson ? message.Body.trim() : JSON.stringify(message.Body);
  return rest === '{}' ? `{"Body":${body}}` : `{"Body":${body},${rest.slice(1)}`;
}

function attributesJson(attributes: Record<string, MessageAttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] = {
      ...value,
      BinaryValue: value.BinaryValue && Buffer.from(value.BinaryValue).toString('base64'),
      BinaryListValues: value.BinaryListValues?.map((bytes) => Buffer.from(bytes).toString('base64')),
    };
  }
  return out;
}

/** Go's `json.Valid`, which TriggerMesh uses to decide whether to embed the body. */
export function isJson(text: string): boolean {
  const first = text.trimStart()[0];
  // Cheap rejection of the common non-JSON bodies before paying for a parse.
  if (first === undefined || !'{["-0123456789tfn'.includes(first)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export const SQS_EVENT_TYPES: readonly EventTypeInfo[] = [
  {
    type: SQS_MESSAGE_TYPE,
    description: 'A message received from an Amazon SQS queue; data is the whole message (or its body).',
    // The s3 and eventbridge processors fall back to it for bodies that are not theirs (processors.ts).
    selectedBy: ['default', 's3', 'eventbridge'],
  },
];
