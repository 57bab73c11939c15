import type { Message } from '@aws-sdk/client-sqs';

/** A message this process holds: received, not yet deleted or handed back to the queue. */
export interface Received {
  readonly message: Message;
  readonly id: string;
  readonly receiptHandle: string;
  /** FIFO ordering key; undefined on standard queues. */
  readonly group: string | undefined;
  /** SQS's ApproximateReceiveCount: 1 on the first delivery. */
  readonly receiveCount: number;
  readonly receivedAt: number;
  /** When SQS will make it visible to other consumers unless we extend or delete it (epoch ms). */
  visibleAt: number;
}

/**
 * `requestedAt` is when the ReceiveMessage call went out: the visibility clock may have started
 * any time after it, so counting from there errs on the safe side.
 */
export function toReceived(
  message: Message,
  requestedAt: number,
  visibilitySeconds: number,
  fifo: boolean,
): Received {
  return {
    message,
    id: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    group: fifo ? (message.Attributes?.MessageGroupId ?? '') : undefined,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? '1') || 1,
    receivedAt: requestedAt,
    visibleAt: requestedAt + visibilitySeconds * 1000,
  };
}
