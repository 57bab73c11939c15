import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createEncoder, HttpError, type WebhookRequest } from '@tributary/core';
import { expectHttpErrorOrValidEvents, headersFor, payloadBytes } from '@tributary/testkit';
import { receiveGitlab, type GitlabConfig } from '../../src/index.ts';
import { loadFixtures } from '../support/fixtures.ts';

const fixtures = loadFixtures();
const seeds = fixtures.map((fixture) => JSON.parse(fixture.body.toString('utf8')) as unknown);
const core = { HttpError, createEncoder };

const config: GitlabConfig = {
  secretToken: 'tok3n',
  eventSource: 'https://gitlab.example.com/acme/app',
  groupUrl: undefined,
  eventTypes: undefined,
  allowSystemHooks: true,
  maxBodyBytes: 1 << 20,
  answerDeadlineMs: 0,
  hook: undefined,
};

// Both ways a source is chosen: fixed by GITLAB_EVENT_SOURCE, or read from the payload with
// GITLAB_GROUP_URL as the fallback (config refuses neither being set).
const configs = fc.constantFrom(config, {
  ...config,
  eventSource: undefined,
  groupUrl: 'https://gitlab.example.com/acme',
});

const request = fc.record({
  config: configs,
  headers: headersFor({
    'x-gitlab-token': fc.constant('tok3n'),
    'x-gitlab-event': fc.constantFrom(...fixtures.map((fixture) => fixture.header)),
    'idempotency-key': fc.uuid(),
    'x-gitlab-webhook-uuid': fc.uuid(),
  }),
  body: payloadBytes(seeds),
});

describe('receiveGitlab under any input', () => {
  it('answers with an HttpError or a valid CloudEvent, never another exception', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ config, headers, body }) => {
        const input: WebhookRequest = {
          method: 'POST',
          path: '/',
          headers,
          body,
          mediaType: 'application/json',
        };
        await expectHttpErrorOrValidEvents(core, () => {
          const outcome = receiveGitlab(config, input);
          return outcome.kind === 'forward' ? outcome.events : [];
        });
      }),
      { numRuns: 1500 },
    );
  });
});
