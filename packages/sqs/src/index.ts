export { sqsAdapter, sqsAdapterWith } from './adapter.ts';
export {
  readSqsConfig,
  MESSAGE_PROCESSORS,
  DATA_MODES,
  type SqsConfig,
  type MessageProcessorName,
  type DataMode,
} from './config.ts';
export { queueFromArn, queueFromUrl, partitionOf, type QueueAddress } from './queue-address.ts';
export {
  sqsMessageEvent,
  messageJson,
  messageExtensions,
  extensionName,
  sentTime,
  SQS_MESSAGE_TYPE,
  SQS_EVENT_TYPES,
} from './to-cloudevent.ts';
export { s3Events, S3_TYPE_PREFIX, S3_TEST_EVENT_TYPE, S3_EVENT_TYPES } from './s3-events.ts';
export { eventBridgeEvent, EVENTBRIDGE_EVENT_TYPE, EVENTBRIDGE_EVENT_TYPES } from './eventbridge-events.ts';
export { messageProcessor, type MessageProcessor } from './processors.ts';
