import { createHash } from 'node:crypto';
import type { CloudEvent, EventTypeInfo } from '@tributary/core';
import { checkString, checkTime } from './attributes.ts';
import type { Span } from './json-spans.ts';
import type { Problems } from './problems.ts';
import { isJsonObject, type JsonObject } from './structured.ts';

/** Source of OSS events on Alibaba EventBridge (docs/contracts.md §7); legacy notifications get the same. */
export const OSS_SOURCE = 'acs.oss';
/** TriggerMesh's type for every AWS EventBridge event (`AWSEventType("events", "event")`). */
export const AWS_EVENT_TYPE = 'com.amazon.events.event';

const OSS_TYPES: readonly (readonly [string, string])[] = [
  ['oss:ObjectCreated:PutObject', 'An object was uploaded.'],
  ['oss:ObjectCreated:PostObject', 'An object was uploaded with an HTML form.'],
  ['oss:ObjectCreated:CopyObject', 'An object was copied.'],
  ['oss:ObjectCreated:AppendObject', 'An object was uploaded by appending to an existing one.'],
  ['oss:ObjectCreated:PutSymlink', 'A symbolic link was created.'],
  ['oss:ObjectCreated:InitiateMultipartUpload', 'A multipart upload was initiated.'],
  ['oss:ObjectCreated:UploadPart', 'A part of a multipart upload was uploaded.'],
  ['oss:ObjectCreated:UploadPartCopy', 'A part was uploaded by copying an existing object.'],
  ['oss:ObjectCreated:CompleteMultipartUpload', 'A multipart upload was completed.'],
  ['oss:ObjectRemoved:DeleteObject', 'An object was deleted.'],
  ['oss:ObjectRemoved:AbortMultipartUpload', 'A multipart upload was aborted.'],
  ['oss:ObjectRestore:FinishRestore', 'A Cold Archive object was restored.'],
  ['oss:ObjectReplication:ObjectCreated', 'An object was created by cross-region replication.'],
  ['oss:ObjectReplication:ObjectModified', 'An object was overwritten by cross-region replication.'],
  ['oss:ObjectReplication:ObjectRemoved', 'An object was deleted by cross-region replication.'],
  ['oss:BucketCreated:PutBucket', 'A bucket was created.'],
  ['oss:BucketRemoved:DeleteBucket', 'A bucket was deleted.'],
  ['oss:ActionTrail:ApiCall', 'An OSS API operation was called (ActionTrail).'],
  ['oss:ActionTrail:ConsoleOperation', 'An operation was performed in the OSS console (ActionTrail).'],
  [
    'oss:ActionTrail:AliyunServiceEvent',
    'Alibaba Cloud performed an operation on an OSS resource (ActionTrail).',
  ],
];

/**
 * The types this adapter emits by itself. Any other CloudEvent type pushed by EventBridge
 * (ECS, MNS, custom buses, ...) is forwarded unchanged and is not listed here.
 */
export const EVENTBRIDGE_EVENT_TYPES: readonly EventTypeInfo[] = [
  // Alibaba EventBridge pushes OSS events with source acs.oss (docs/contracts.md §7).
  ...OSS_TYPES.map(([type, description]) => ({ type, description, source: 'acs.oss' })),
  {
    type: AWS_EVENT_TYPE,
    description:
      'An AWS EventBridge event; extensions awseventssource and awseventsdetailtype name its origin.',
  },
];

function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = isJsonObject(current) ? current[key] : undefined;
  return current;
}

/**
 * One record of the direct OSS notification body `{"events":[...]}` as the CloudEvent Alibaba
 * EventBridge makes of it: `oss:<eventName>` from `acs.oss`, subject
 * `acs:oss:<region>:<bucket owner>:<bucket>/<key>`, the record itself as data.
 */
export function ossRecordEvent(
  problems: Problems,
  text: string,
  span: Span,
  record: unknown,
): CloudEvent | undefined {
  if (!isJsonObject(record)) {
    problems.add('events[]', 'must be a JSON object');
    return undefined;
  }
  const before = problems.count;
  const eventName = checkString(problems, 'eventName', record['eventName'], true);
  const region = checkString(problems, 'region', record['region'], true);
  const bucket = checkString(problems, 'oss.bucket.name', at(record, ['oss', 'bucket', 'name']), true);
  const owner = checkString(
    problems,
    'oss.bucket.ownerIdentity',
    at(record, ['oss', 'bucket', 'ownerIdentity']),
    true,
  );
  const key = checkString(problems, 'oss.object.key', at(record, ['oss', 'object', 'key']), false);
  const requestId = checkString(
    problems,
    'responseElements.requestId',
    at(record, ['responseElements', 'requestId']),
    false,
  );
  const time = checkTime(problems, 'eventTime', record['eventTime']);
  if (problems.count > before) return undefined;
  const raw = text.slice(span.start, span.end);
  return {
    id: recordId(requestId, key, raw),
    source: OSS_SOURCE,
    type: (eventName as string).startsWith('oss:') ? (eventName as string) : `oss:${eventName}`,
    subject: `acs:oss:${region}:${owner}:${bucket}${key === undefined ? '' : `/${key}`}`,
    time,
    datacontenttype: 'application/json',
    data: raw,
  };
}

/**
 * OSS gives one request id per API call and DeleteObjects reports many keys under one call, so
 * the key joins the request id. A record without a request id gets a hash of its own text: a
 * redelivery of the same record keeps the same id, so the sink can still recognise duplicates.
 */
function recordId(requestId: string | undefined, key: string | undefined, raw: string): string {
  if (requestId === undefined) return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  return key === undefined ? requestId : `${requestId}/${key}`;
}

/**
 * An AWS EventBridge envelope mapped as TriggerMesh's AWS EventBridge source does: type
 * `com.amazon.events.event`, id and time from the envelope, extensions `awseventssource` and
 * `awseventsdetailtype`, the whole envelope as data. The source is the event bus ARN
 * (TriggerMesh's `spec.arn`); the envelope does not name its bus, so `default` unless configured.
 */
export function awsEnvelopeEvent(
  problems: Problems,
  text: string,
  span: Span,
  envelope: JsonObject,
  configuredSource: string | undefined,
): CloudEvent | undefined {
  const before = problems.count;
  const id = checkString(problems, 'id', envelope['id'], true);
  const awsSource = checkString(problems, 'source', envelope['source'], true);
  const detailType = checkString(problems, 'detail-type', envelope['detail-type'], true);
  if (envelope['detail'] === undefined) problems.add('detail', 'is required');
  const time = checkTime(problems, 'time', envelope['time']);
  let source = configuredSource;
  if (source === undefined) {
    const region = checkString(problems, 'region', envelope['region'], true);
    const account = checkString(problems, 'account', envelope['account'], true);
    source = `arn:aws:events:${region}:${account}:event-bus/default`;
  }
  if (problems.count > before) return undefined;
  return {
    id: id as string,
    source,
    type: AWS_EVENT_TYPE,
    time,
    datacontenttype: 'application/json',
    data: text.slice(span.start, span.end),
    extensions: { awseventssource: awsSource as string, awseventsdetailtype: detailType as string },
  };
}
