import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createEncoder, createMetrics, HttpError } from '@tributary/core';
import {
  anyHeaderString,
  expectHttpErrorOrValidEvents,
  fixturePath,
  headersFor,
  payloadBytes,
} from '@tributary/testkit';
import { eventBridgeIntake, type EventBridgeConfig } from '../../src/index.ts';

const core = { HttpError, createEncoder };
const seeds = readdirSync(fixturePath('eventbridge', '.'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(fixturePath('eventbridge', name), 'utf8')) as unknown);
// Batches of the same events, as EventBridge and other pushers send them.
seeds.push(seeds.slice(0, 3));

const config: EventBridgeConfig = {
  token: undefined,
  signature: undefined,
  signatureV2: undefined,
  types: [],
  maxBodyBytes: 8 * 1024 * 1024,
  answerDeadlineMs: 0,
  awsSource: undefined,
};
const intakes = [
  config,
  { ...config, types: ['oss:ObjectCreated:*'], awsSource: 'arn:aws:events:us-east-1:1:event-bus/b' },
].map((each) => eventBridgeIntake(each, createMetrics({ adapter: 'eventbridge' }, false)));

const mediaTypes = [
  'application/json',
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
  'text/plain',
  'application/octet-stream',
];

const push = fc.record({
  intake: fc.constantFrom(...intakes),
  mediaType: fc.constantFrom(...mediaTypes),
  // Binary mode: ce-* headers with the required attributes, or anything at all.
  headers: headersFor({
    'ce-specversion': fc.constantFrom('1.0', '0.3'),
    'ce-id': fc.oneof(fc.uuid(), anyHeaderString),
    'ce-source': fc.constantFrom('acs.oss', '/a%20b', '%zz'),
    'ce-type': fc.constantFrom('oss:ObjectCreated:PutObject', 'x'),
    'ce-time': fc.constantFrom('2020-08-17T16:04:46.149Asia/Shanghai', '2024-01-01T00:00:00Z', 'yesterday'),
    'ce-aliyunaccountid': anyHeaderString,
  }),
  binary: fc.boolean(),
  body: payloadBytes(seeds),
});

describe('EventBridge intake under any input', () => {
  it('answers with an HttpError or a valid CloudEvent, never another exception', async () => {
    await fc.assert(
      fc.asyncProperty(push, async ({ intake, mediaType, headers, binary, body }) => {
        const sent = binary
          ? headers
          : Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('ce-')));
        const request = {
          method: 'POST',
          path: '/',
          headers: { ...sent, 'content-type': mediaType },
          body,
          mediaType,
        };
        await expectHttpErrorOrValidEvents(core, async () => {
          const outcome = await intake.receive(request);
          return outcome.kind === 'forward' ? outcome.events : [];
        });
      }),
      { numRuns: 1500 },
    );
  });
});
