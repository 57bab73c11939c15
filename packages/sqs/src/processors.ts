import type { Message } from '@aws-sdk/client-sqs';
import type { CloudEvent } from '@tributary/core';
import type { SqsConfig } from './config.ts';
import { eventBridgeEvent } from './eventbridge-events.ts';
import { s3Events } from './s3-events.ts';
import { sqsMessageEvent } from './to-cloudevent.ts';

/** Turns one SQS message into the events it stands for; the message is deleted once all are accepted. */
export type MessageProcessor = (message: Message) => CloudEvent[];

/**
 * SQS_MESSAGE_PROCESSOR, as TriggerMesh names them. The s3 and eventbridge processors fall back to
 * the default event for bodies that are not theirs, so nothing is ever dropped.
 */
export function messageProcessor(
  config: Pick<SqsConfig, 'processor' | 'dataMode' | 'eventBridgeSource'>,
  queueArn: string,
): MessageProcessor {
  const asMessage = (message: Message) =>
    sqsMessageEvent(message, { source: queueArn, dataMode: config.dataMode });
  switch (config.processor) {
    case 'default':
      return (message) => [asMessage(message)];
    case 's3':
      return (message) => s3Events(message, parseBody(message)) ?? [asMessage(message)];
    case 'eventbridge': {
      const source = config.eventBridgeSource ?? queueArn;
      return (message) => {
        const event = eventBridgeEvent(message, parseBody(message), source);
        return event ? [event] : [asMessage(message)];
      };
    }
  }
}

function parseBody(message: Message): unknown {
  try {
    return JSON.parse(message.Body ?? '');
  } catch {
    return undefined;
  }
}
