import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adapterEnv,
  bundlePath,
  startProcess,
  startRecordingSink,
  type AdapterProcess,
  type RecordingSink,
} from '@tributary/testkit';
import { EXPECTED, GROUP_URL, fixture, loadFixtures } from '../support/fixtures.ts';
import { postWebhook } from '../support/post-webhook.ts';

const TOKEN = 'it-secret-token';

async function startAdapter(sink: RecordingSink, extra: Record<string, string>) {
  const env = await adapterEnv(sink.url, { GITLAB_SECRET_TOKEN: TOKEN, K_SINK_RETRY: '1', ...extra });
  const proc = startProcess(bundlePath('gitlab'), env);
  const port = Number(env.PORT);
  await proc.waitForReady(port);
  return { proc, port };
}

describe('GitLab webhooks through the running adapter', () => {
  let sink: RecordingSink;
  let adapter: { proc: AdapterProcess; port: number };

  beforeAll(async () => {
    sink = await startRecordingSink();
    adapter = await startAdapter(sink, { GITLAB_GROUP_URL: GROUP_URL, GITLAB_ALLOW_SYSTEM_HOOKS: 'true' });
  });
  afterEach(() => sink.reset());
  afterAll(async () => {
    await adapter.proc.stop();
    await sink.close();
  });

  it('replays every documented payload: type, id, source, subject, comgitlabevent and the exact bytes', async () => {
    const fixtures = loadFixtures();
    const ids = new Map<string, string>();
    for (const [i, f] of fixtures.entries()) {
      // Alternate the id headers GitLab versions send: Idempotency-Key (17.4+), else the webhook UUID.
      const id = randomUUID();
      ids.set(f.file, id);
      const headers = {
        'x-gitlab-token': TOKEN,
        'x-gitlab-event': f.header,
        'x-gitlab-event-uuid': randomUUID(),
      };
      const idHeader: Record<string, string> =
        i % 2 === 0
          ? { 'idempotency-key': id, 'x-gitlab-webhook-uuid': randomUUID() }
          : { 'x-gitlab-webhook-uuid': id };
      const answer = await postWebhook(adapter.port, f.body, { ...headers, ...idHeader });
      expect(answer, f.file).toMatchObject({ status: 200, body: { status: 'accepted', events: 1 } });
    }
    const events = await sink.waitForEvents(fixtures.length);
    expect(events).toHaveLength(fixtures.length);
    for (const [i, f] of fixtures.entries()) {
      const event = events[i];
      const expected = EXPECTED[f.file];
      expect(event?.mode).toBe('binary');
      expect(event?.attributes, f.file).toMatchObject({
        specversion: '1.0',
        id: ids.get(f.file),
        type: `dev.knative.sources.gitlab.${expected?.suffix}`,
        source: expected?.source,
        subject: expected?.subject,
        comgitlabevent: f.header,
        datacontenttype: 'application/json',
      });
      expect(event?.data?.equals(f.body), `${f.file} data is byte-identical`).toBe(true);
    }
  });

  it('percent-encodes comgitlabevent in binary mode and the sink decodes it back', async () => {
    const push = fixture('push.json');
    await postWebhook(adapter.port, push.body, { 'x-gitlab-token': TOKEN, 'x-gitlab-event': 'Push Hook' });
    const token = fixture('resource_access_token-group.json');
    await postWebhook(adapter.port, token.body, { 'x-gitlab-token': TOKEN, 'x-gitlab-event': token.header });
    const [first, second] = await sink.waitForEvents(2);
    expect(first?.headers['ce-comgitlabevent']).toBe('Push%20Hook');
    expect(first?.attributes['comgitlabevent']).toBe('Push Hook');
    expect(second?.headers['ce-comgitlabevent']).toBe('Resource%20Access%20Token%20Hook');
    expect(second?.attributes['comgitlabevent']).toBe('Resource Access Token Hook');
  });

  it('does not forward a delivery id twice, and accepts it again once the sink took it', async () => {
    const push = fixture('push.json');
    const headers = {
      'x-gitlab-token': TOKEN,
      'x-gitlab-event': 'Push Hook',
      'idempotency-key': randomUUID(),
    };
    expect((await postWebhook(adapter.port, push.body, headers)).status).toBe(200);
    const again = await postWebhook(adapter.port, push.body, headers);
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    expect(sink.requestCount).toBe(1);
  });

  it('answers 5xx when the sink fails, so GitLab redelivers, and forwards the redelivery', async () => {
    const push = fixture('push.json');
    const headers = {
      'x-gitlab-token': TOKEN,
      'x-gitlab-event': 'Push Hook',
      'idempotency-key': randomUUID(),
    };
    sink.faults.alwaysFail(500);
    expect(await postWebhook(adapter.port, push.body, headers)).toMatchObject({
      status: 503,
      body: { error: 'RETRIES_EXHAUSTED' },
    });
    sink.faults.alwaysFail(400);
    expect(await postWebhook(adapter.port, push.body, headers)).toMatchObject({
      status: 502,
      body: { error: 'SINK_REJECTED' },
    });
    sink.faults.alwaysFail(undefined);
    expect((await postWebhook(adapter.port, push.body, headers)).status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    expect(event?.attributes['id']).toBe(headers['idempotency-key']);
  });
});

describe('requests the adapter refuses', () => {
  let sink: RecordingSink;
  let adapter: { proc: AdapterProcess; port: number };

  beforeAll(async () => {
    sink = await startRecordingSink();
    adapter = await startAdapter(sink, {
      GITLAB_EVENT_SOURCE: 'https://gitlab.example.com/acme/app',
      GITLAB_MAX_BODY_BYTES: '65536',
    });
  });
  afterAll(async () => {
    await adapter.proc.stop();
    await sink.close();
  });

  it('answers each with its exact status, forwards none of them and keeps serving', async () => {
    const push = fixture('push.json').body;
    const ok = { 'x-gitlab-token': TOKEN, 'x-gitlab-event': 'Push Hook' };
    const cases: [string, Uint8Array | string, Record<string, string>, number, string][] = [
      ['wrong token', push, { ...ok, 'x-gitlab-token': 'it-secret-tokem' }, 401, 'TOKEN_INVALID'],
      ['missing token', push, { 'x-gitlab-event': 'Push Hook' }, 401, 'TOKEN_MISSING'],
      ['missing event header', push, { 'x-gitlab-token': TOKEN }, 400, 'EVENT_HEADER_MISSING'],
      ['malformed JSON', '{"object_kind": "push", ', ok, 400, 'MALFORMED_JSON'],
      ['oversized body', Buffer.alloc(100 * 1024, 0x20), ok, 413, 'BODY_TOO_LARGE'],
      [
        'System Hook not enabled',
        fixture('system-project_create.json').body,
        { ...ok, 'x-gitlab-event': 'System Hook' },
        400,
        'SYSTEM_HOOK_REFUSED',
      ],
      ['not JSON', push, { ...ok, 'content-type': 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ];
    for (const [what, body, headers, status, code] of cases) {
      const answer = await postWebhook(adapter.port, body, headers);
      expect(answer, what).toMatchObject({ status, body: { error: code } });
    }
    expect(sink.requestCount).toBe(0);

    const accepted = await postWebhook(adapter.port, push, ok, '/any/path/gitlab');
    expect(accepted.status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    expect(event?.attributes['source']).toBe('https://gitlab.example.com/acme/app');
    expect(sink.requestCount).toBe(1);
  });
});

describe('GITLAB_EVENT_TYPES and structured mode', () => {
  let sink: RecordingSink;
  let adapter: { proc: AdapterProcess; port: number };

  beforeAll(async () => {
    sink = await startRecordingSink();
    adapter = await startAdapter(sink, {
      GITLAB_EVENT_SOURCE: 'https://gitlab.example.com/acme/app',
      GITLAB_EVENT_TYPES: 'merge_requests_events,note',
      K_SINK_MODE: 'structured',
    });
  });
  afterAll(async () => {
    await adapter.proc.stop();
    await sink.close();
  });

  it('forwards listed types, acknowledges the others with 202 and forwards nothing for them', async () => {
    const push = fixture('push.json');
    const mr = fixture('merge_request.json');
    const ignored = await postWebhook(adapter.port, push.body, {
      'x-gitlab-token': TOKEN,
      'x-gitlab-event': push.header,
    });
    expect(ignored).toMatchObject({
      status: 202,
      body: { status: 'ignored', reason: 'event_type_not_allowed' },
    });
    const forwarded = await postWebhook(adapter.port, mr.body, {
      'x-gitlab-token': TOKEN,
      'x-gitlab-event': mr.header,
    });
    expect(forwarded.status).toBe(200);
    const [event] = await sink.waitForEvents(1);
    expect(sink.requestCount).toBe(1);
    expect(event?.mode).toBe('structured');
    expect(event?.attributes).toMatchObject({
      type: 'dev.knative.sources.gitlab.merge_request',
      subject: '1',
      comgitlabevent: 'Merge Request Hook',
    });
    expect(event?.json()).toEqual(JSON.parse(mr.body.toString('utf8')));
  });
});
