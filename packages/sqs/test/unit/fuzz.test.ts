import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Message } from '@aws-sdk/client-sqs';
import { createEncoder, HttpError } from '@tributary/core';
import { expectHttpErrorOrValidEvents, fixturePath, payloadBytes } from '@tributary/testkit';
import { messageProcessor } from '../../src/processors.ts';

const core = { HttpError, createEncoder };
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:events';
// S3 notifications, EventBridge envelopes and a ReceiveMessage answer's bodies (test/fixtures).
const seeds = readdirSync(fixturePath('sqs', '.'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(fixturePath('sqs', name), 'utf8')) as unknown);

const processors = (['default', 's3', 'eventbridge'] as const).flatMap((processor) =>
  (['message', 'body'] as const).map((dataMode) =>
    messageProcessor({ processor, dataMode, eventBridgeSource: undefined }, QUEUE_ARN),
  ),
);

// What SQS can hold in a body or string attribute: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000+.
const sqsText = (bytes: Buffer) =>
  bytes.toString('utf8').replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '');

const attribute = fc.record({
  DataType: fc.constantFrom('String', 'Number', 'Binary', 'String.custom'),
  StringValue: fc.option(
    fc.string({ unit: 'binary', maxLength: 24 }).map((text) => sqsText(Buffer.from(text))),
    { nil: undefined },
  ),
});

const message: fc.Arbitrary<Message> = fc.record({
  // SQS itself assigns the id (a UUID) and the timestamps (epoch milliseconds).
  MessageId: fc.uuid(),
  ReceiptHandle: fc.string({ maxLength: 16 }),
  Body: payloadBytes(seeds).map(sqsText),
  Attributes: fc.record({
    SentTimestamp: fc.oneof(
      fc.nat().map(String),
      fc.constantFrom('1e20', '-1', '', 'NaN', '8640000000000001'),
    ),
  }),
  MessageAttributes: fc.dictionary(fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/), attribute, { maxKeys: 3 }),
});

describe('SQS message processors under any message', () => {
  it('turn every message into valid CloudEvents, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...processors), message, async (process, received) => {
        await expectHttpErrorOrValidEvents(core, () => process(received));
      }),
      { numRuns: 1500 },
    );
  });
});
