import type { Message } from '@aws-sdk/client-sqs';
import type { CloudEvent, EventTypeInfo } from '@tributary/core';
import { attributeText, isObject, rfc3339 } from './s3-events.ts';
import { sentTime } from './to-cloudevent.ts';

/** TriggerMesh: `AWSEventType(eventbridge.EndpointsID, "event")`. */
export const EVENTBRIDGE_EVENT_TYPE = 'com.amazon.events.event';

/**
 * TriggerMesh's `eventbridge` processor (used behind its AWSEventBridgeSource): a body holding an
 * EventBridge envelope (`detail`, `detail-type`, `source`) becomes one event with the envelope's
 * id and time, extensions `awseventssource` and `awseventsdetailtype`, and the envelope as data
 * (sent verbatim, where TriggerMesh re-serializes it). `source` is TriggerMesh's CE_SOURCE, the
 * event bus ARN; without it, the queue ARN. Anything else returns undefined (plain message event).
 */
export function eventBridgeEvent(message: Message, body: unknown, source: string): CloudEvent | undefined {
  if (!isObject(body) || !('detail' in body) || !('detail-type' in body) || !('source' in body))
    return undefined;
  const extensions: Record<string, string> = {};
  const eventSource = attributeText(body['source']);
  const detailType = attributeText(body['detail-type']);
  if (eventSource !== undefined) extensions['awseventssource'] = eventSource;
  if (detailType !== undefined) extensions['awseventsdetailtype'] = detailType;
  return {
    id: attributeText(body['id']) ?? message.MessageId ?? '',
    type: EVENTBRIDGE_EVENT_TYPE,
    source,
    time: rfc3339(body['time']) ?? sentTime(message),
    datacontenttype: 'application/json',
    data: (message.Body ?? '').trim(),
    extensions,
  };
}

export const EVENTBRIDGE_EVENT_TYPES: readonly EventTypeInfo[] = [
  {
    type: EVENTBRIDGE_EVENT_TYPE,
    description:
      'An Amazon EventBridge event delivered through SQS; data is the EventBridge envelope (processor eventbridge).',
    selectedBy: ['eventbridge'],
  },
];
