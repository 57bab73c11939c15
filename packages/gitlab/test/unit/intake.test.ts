import { describe, expect, it } from 'vitest';
import { HttpError, type WebhookRequest } from '@tributary/core';
import { receiveGitlab, type GitlabConfig } from '../../src/index.ts';
import { fixture } from '../support/fixtures.ts';

const config: GitlabConfig = {
  secretToken: 'tok3n',
  eventSource: 'https://gitlab.example.com/acme/app',
  groupUrl: undefined,
  eventTypes: undefined,
  allowSystemHooks: false,
  maxBodyBytes: 1 << 20,
  answerDeadlineMs: 0,
  hook: undefined,
};

const push = fixture('push.json');

function request(headers: Record<string, string>, body: Buffer = push.body): WebhookRequest {
  return { method: 'POST', path: '/', headers, body, mediaType: 'application/json' };
}

function refusal(run: () => unknown): HttpError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

const signed = { 'x-gitlab-token': 'tok3n', 'x-gitlab-event': 'Push Hook' };

describe('receiveGitlab', () => {
  it('forwards a signed push with the Idempotency-Key as id and delivery id', () => {
    const outcome = receiveGitlab(
      config,
      request({ ...signed, 'idempotency-key': 'idem-1', 'x-gitlab-webhook-uuid': 'uuid-1' }),
    );
    expect(outcome.kind).toBe('forward');
    if (outcome.kind !== 'forward') return;
    expect(outcome.deliveryId).toBe('idem-1');
    expect(outcome.events[0]).toMatchObject({
      id: 'idem-1',
      type: 'dev.knative.sources.gitlab.push',
      subject: 'refs/heads/master',
    });
  });

  it('falls back to X-Gitlab-Webhook-UUID, never to X-Gitlab-Event-UUID', () => {
    const outcome = receiveGitlab(
      config,
      request({ ...signed, 'x-gitlab-webhook-uuid': 'uuid-1', 'x-gitlab-event-uuid': 'ev-1' }),
    );
    expect(outcome).toMatchObject({ kind: 'forward', deliveryId: 'uuid-1' });
    const bare = receiveGitlab(config, request({ ...signed, 'x-gitlab-event-uuid': 'ev-1' }));
    expect(bare).toMatchObject({ kind: 'forward', deliveryId: undefined });
    if (bare.kind === 'forward') expect(bare.events[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 401 for a missing or wrong token', () => {
    expect(refusal(() => receiveGitlab(config, request({ 'x-gitlab-event': 'Push Hook' })))).toMatchObject({
      status: 401,
      code: 'TOKEN_MISSING',
    });
    expect(
      refusal(() => receiveGitlab(config, request({ ...signed, 'x-gitlab-token': 'tok3m' }))),
    ).toMatchObject({
      status: 401,
      code: 'TOKEN_INVALID',
    });
  });

  it('checks nothing when no secret is configured (GITLAB_ALLOW_UNSIGNED)', () => {
    expect(
      receiveGitlab({ ...config, secretToken: undefined }, request({ 'x-gitlab-event': 'Push Hook' })).kind,
    ).toBe('forward');
  });

  it('answers 400 for a missing or unusable event header', () => {
    expect(refusal(() => receiveGitlab(config, request({ 'x-gitlab-token': 'tok3n' })))).toMatchObject({
      status: 400,
      code: 'EVENT_HEADER_MISSING',
    });
    expect(
      refusal(() => receiveGitlab(config, request({ ...signed, 'x-gitlab-event': 'push' }))),
    ).toMatchObject({
      status: 400,
      code: 'EVENT_HEADER_INVALID',
    });
  });

  it('answers 400 for malformed JSON and for JSON that is not an object', () => {
    for (const body of ['{"object_kind":', '', '[1,2]', 'null']) {
      expect(refusal(() => receiveGitlab(config, request(signed, Buffer.from(body))))).toMatchObject({
        status: 400,
        code: 'MALFORMED_JSON',
      });
    }
  });

  it('refuses System Hook events unless they are enabled', () => {
    const system = fixture('system-project_create.json');
    const headers = { 'x-gitlab-token': 'tok3n', 'x-gitlab-event': 'System Hook' };
    const error = refusal(() => receiveGitlab(config, request(headers, system.body)));
    expect(error).toMatchObject({ status: 400, code: 'SYSTEM_HOOK_REFUSED' });
    expect(error.message).toContain('GITLAB_ALLOW_SYSTEM_HOOKS=true');
    const outcome = receiveGitlab({ ...config, allowSystemHooks: true }, request(headers, system.body));
    expect(outcome).toMatchObject({
      kind: 'forward',
      events: [{ type: 'dev.knative.sources.gitlab.system', subject: 'project_create' }],
    });
  });

  it('acknowledges without forwarding events outside GITLAB_EVENT_TYPES', () => {
    const only = { ...config, eventTypes: new Set(['merge_request']) };
    expect(receiveGitlab(only, request(signed))).toEqual({
      kind: 'ignore',
      reason: 'event_type_not_allowed',
    });
    // The token is still checked first.
    expect(refusal(() => receiveGitlab(only, request({ 'x-gitlab-event': 'Push Hook' }))).status).toBe(401);
  });
});
