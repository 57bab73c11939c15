import type { Message } from '@aws-sdk/client-sqs';
import { isCloudEventString, type CloudEvent, type EventTypeInfo, type JsonValue } from '@tributary/core';
import { sentTime } from './to-cloudevent.ts';

/** TriggerMesh's `com.amazon.s3.<category>` types: the part of `eventName` before the first colon, lower-cased. */
export const S3_TYPE_PREFIX = 'com.amazon.s3.';
export const S3_TEST_EVENT_TYPE = `${S3_TYPE_PREFIX}testevent`;

interface S3Record {
  readonly eventName: string;
  readonly eventTime?: unknown;
  readonly s3: { readonly bucket: { readonly arn: string }; readonly object: { readonly key: string } };
}

/**
 * TriggerMesh's `s3` processor: one event per record of an S3 event notification
 * (type from `eventName`, source = bucket ARN, subject = object key, data = the record), and
 * the `s3:TestEvent` S3 sends when notifications are configured. Returns undefined for anything
 * else, so the caller falls back to the plain message event, as TriggerMesh does.
 *
 * Where TriggerMesh left ids random and times at send time, ids derive from the MessageId (so a
 * redelivered message keeps them: consumers can deduplicate) and `time` is the record's eventTime.
 */
export function s3Events(message: Message, body: unknown): CloudEvent[] | undefined {
  if (!isObject(body)) return undefined;
  const records = body['Records'];
  if (Array.isArray(records) && records.length > 0 && records.every(isS3Record)) {
    const messageId = message.MessageId ?? '';
    return records.map((record, index) => ({
      id: records.length === 1 ? messageId : `${messageId}-${index}`,
      type: S3_TYPE_PREFIX + record.eventName.split(':', 1)[0]?.toLowerCase(),
      source: record.s3.bucket.arn,
      // S3 keys may hold control characters; CloudEvents 1.0 §3.1.1 attributes may not.
      subject: attributeText(record.s3.object.key),
      time: rfc3339(record.eventTime) ?? sentTime(message),
      datacontenttype: 'application/json',
      data: record as unknown as JsonValue,
    }));
  }
  if (
    body['Service'] === 'Amazon S3' &&
    body['Event'] === 's3:TestEvent' &&
    attributeText(body['Bucket']) !== undefined
  ) {
    return [
      {
        id: message.MessageId ?? '',
        type: S3_TEST_EVENT_TYPE,
        source: `arn:aws:s3:::${body['Bucket']}`,
        time: rfc3339(body['Time']) ?? sentTime(message),
        datacontenttype: 'application/json',
        data: (message.Body ?? '').trim(),
      },
    ];
  }
  return undefined;
}

function isS3Record(value: unknown): value is S3Record {
  if (!isObject(value) || typeof value['eventName'] !== 'string' || !isObject(value['s3'])) return false;
  const { bucket, object } = value['s3'];
  return (
    attributeText(value['eventName']) !== undefined &&
    isObject(bucket) &&
    attributeText(bucket['arn']) !== undefined &&
    isObject(object) &&
    typeof object['key'] === 'string'
  );
}

/**
 * The value when it can be a CloudEvents attribute as it is: a non-empty string without control
 * characters or lone surrogates (§3.1.1). A body that puts anything else where S3 or EventBridge
 * put a name is not theirs, and becomes the plain message event instead.
 */
export function attributeText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && isCloudEventString(value) ? value : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is an RFC 3339 timestamp (what S3 and EventBridge send), else undefined. */
export function rfc3339(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) &&
    !Number.isNaN(Date.parse(value))
    ? value
    : undefined;
}

export const S3_EVENT_TYPES: readonly EventTypeInfo[] = [
  ...[
    'objectcreated',
    'objectremoved',
    'objectrestore',
    'objecttagging',
    'objectacl',
    'replication',
    'lifecycleexpiration',
    'lifecycletransition',
    'intelligenttiering',
    'reducedredundancylostobject',
  ].map((category) => ({
    type: S3_TYPE_PREFIX + category,
    description: `An Amazon S3 ${category} notification record, delivered through SQS (processor s3).`,
    selectedBy: ['s3'],
  })),
  {
    type: S3_TEST_EVENT_TYPE,
    description: 'The test message Amazon S3 sends when a bucket notification is configured (processor s3).',
    selectedBy: ['s3'],
  },
];
