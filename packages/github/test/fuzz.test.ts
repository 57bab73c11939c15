import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createEncoder, createLogger, createMetrics, HttpError } from '@tributary/core';
import { anyHeaderString, expectHttpErrorOrValidEvents, headersFor, payloadBytes } from '@tributary/testkit';
import { createGitHubIntake, type GitHubConfig } from '../src/index.ts';
import { allWebhookExamples } from './support/fixtures.ts';

const SECRET = 'fuzz-secret';
const examples = allWebhookExamples();
const core = { HttpError, createEncoder };
const logger = createLogger('error', { adapter: 'github' });
logger.level = 'silent';

const base: GitHubConfig = {
  secrets: [SECRET],
  rotatingSecret: false,
  webUrl: 'https://github.com',
  source: undefined,
  eventTypes: undefined,
  maxBodyBytes: 25 * 1024 * 1024,
  answerDeadlineMs: 0,
  webhook: undefined,
  multiTenant: undefined,
};
// A source fixed by one GITHUB_OWNER_REPO, or taken from each payload.
const intakes = [base, { ...base, source: 'https://github.com/octo-org/octo-repo' }].map((config) =>
  createGitHubIntake(config, logger, createMetrics({ adapter: 'github' }, false)),
);

const delivery = fc.record({
  intake: fc.constantFrom(...intakes),
  headers: headersFor({
    'x-github-event': fc.constantFrom(...new Set(examples.map((example) => example.event))),
    'x-github-delivery': fc.uuid(),
  }),
  body: payloadBytes(examples.map((example) => example.payload)),
  form: fc.boolean(),
  signed: fc.boolean(),
  // Sometimes a signature header of any shape instead of a right one.
  signature: fc.option(anyHeaderString, { freq: 4 }),
});

describe('GitHub intake under any input', () => {
  it('answers with an HttpError or a valid CloudEvent, never another exception', async () => {
    await fc.assert(
      fc.asyncProperty(delivery, async ({ intake, headers, body, form, signed, signature }) => {
        const sent = form
          ? Buffer.from(new URLSearchParams({ payload: body.toString('utf8') }).toString())
          : body;
        const hmac = `sha256=${createHmac('sha256', SECRET).update(sent).digest('hex')}`;
        const request = {
          method: 'POST',
          path: '/',
          headers: { ...headers, 'x-hub-signature-256': signature ?? (signed ? hmac : undefined) },
          body: sent,
          mediaType: form ? 'application/x-www-form-urlencoded' : 'application/json',
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
