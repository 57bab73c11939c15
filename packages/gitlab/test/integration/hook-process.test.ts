import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  adapterEnv,
  bundlePath,
  startProcess,
  startRecordingSink,
  type AdapterProcess,
  type RecordingSink,
} from '@tributary/testkit';
import { fixture } from '../support/fixtures.ts';
import {
  startGitlabApiServer,
  type GitlabApiServer,
  type GitlabApiServerOptions,
} from '../support/gitlab-api-server.ts';
import { postWebhook } from '../support/post-webhook.ts';
import { selfSignedCertificate } from '@tributary/testkit';

const ACCESS_TOKEN = 'glpat-process';
const SECRET = 'process-secret';
const HOOK_URL = 'https://adapter.example.com/hooks/gitlab';
const PROJECT = 'acme/platform/api';

/** The reconcile loop's line for the hook on a project or group: `webhook on project <url> created`. */
const hookLine = (kind: string, action: string) => (line: Record<string, unknown>) =>
  String(line['msg']).startsWith(`webhook on ${kind} `) && String(line['msg']).endsWith(` ${action}`);

describe('the adapter manages its GitLab hook at startup', () => {
  let sink: RecordingSink;
  let server: GitlabApiServer;
  const running: AdapterProcess[] = [];

  const setup = async (options: Partial<GitlabApiServerOptions> = {}) => {
    server = await startGitlabApiServer({
      token: ACCESS_TOKEN,
      pathPrefix: '/gitlab',
      projects: [PROJECT],
      ...options,
    });
  };

  const start = async (extra: Record<string, string> = {}) => {
    const env = await adapterEnv(sink.url, {
      GITLAB_SECRET_TOKEN: SECRET,
      GITLAB_EVENT_SOURCE: `${server.url}/${PROJECT}`,
      GITLAB_ACCESS_TOKEN: ACCESS_TOKEN,
      GITLAB_WEBHOOK_URL: HOOK_URL,
      GITLAB_EVENT_TYPES: 'push,merge_request,deployment',
      ...extra,
    });
    const proc = startProcess(bundlePath('gitlab'), env);
    running.push(proc);
    await proc.waitForReady(Number(env.PORT));
    return { proc, port: Number(env.PORT) };
  };

  beforeEach(async () => {
    sink = await startRecordingSink();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((proc) => proc.stop()));
    await server.close();
    await sink.close();
  });

  it('creates the hook once; two restarts find it, write nothing and still leave one hook', async () => {
    await setup();
    const first = await start();
    await first.proc.waitForLog(hookLine('project', 'created'));
    expect(await first.proc.stop()).toEqual({ code: 0, signal: null });
    expect(server.writes()).toBe(1);

    for (let restart = 0; restart < 2; restart++) {
      const again = await start();
      const line = await again.proc.waitForLog(hookLine('project', 'unchanged'));
      expect(line).toMatchObject({ target: `project ${server.url}/${PROJECT}`, action: 'unchanged', differences: [] });
      await again.proc.stop();
    }
    expect(server.writes()).toBe(1);
    const hooks = server.hooks('projects', PROJECT);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]?.fields).toMatchObject({
      url: HOOK_URL,
      push_events: true,
      merge_requests_events: true,
      deployment_events: true,
      note_events: false,
    });
    expect(hooks[0]?.token).toBe(SECRET);
  }, 90_000);

  it('edits the hook once when the secret token is rotated', async () => {
    await setup();
    const first = await start();
    await first.proc.waitForLog(hookLine('project', 'created'));
    await first.proc.stop();
    const rotated = await start({ GITLAB_SECRET_TOKEN: 'rotated-secret' });
    expect(await rotated.proc.waitForLog(hookLine('project', 'updated'))).toMatchObject({
      differences: ['token'],
    });
    expect(server.hooks('projects', PROJECT)[0]?.token).toBe('rotated-secret');
    expect(server.writes()).toBe(2);
  });

  it('keeps the hook when a replica stops; --delete-webhook removes it and then finds it absent', async () => {
    await setup();
    const first = await start({ GITLAB_DELETE_WEBHOOK_ON_EXIT: 'true' });
    await first.proc.waitForLog(hookLine('project', 'created'));
    expect(first.proc.logs.find((l) => l['variable'] === 'GITLAB_DELETE_WEBHOOK_ON_EXIT')).toMatchObject({ level: 'warn' });
    expect(await first.proc.stop()).toEqual({ code: 0, signal: null });
    expect(server.hooks('projects', PROJECT)).toHaveLength(1);

    // The chart's pre-delete Job: the same env without K_SINK, and the flag.
    const { K_SINK: _sink, ...jobEnv } = await adapterEnv(sink.url, {
      GITLAB_SECRET_TOKEN: SECRET,
      GITLAB_EVENT_SOURCE: `${server.url}/${PROJECT}`,
      GITLAB_ACCESS_TOKEN: ACCESS_TOKEN,
      GITLAB_WEBHOOK_URL: HOOK_URL,
    });
    for (const outcome of ['deleted', 'absent']) {
      const job = startProcess(bundlePath('gitlab'), jobEnv, ['--delete-webhook']);
      expect(await job.exited).toEqual({ code: 0, signal: null });
      expect(job.logs.find((l) => l['outcome'] !== undefined)).toMatchObject({ outcome });
    }
    expect(server.hooks('projects', PROJECT)).toHaveLength(0);

    const denied = startProcess(bundlePath('gitlab'), { ...jobEnv, GITLAB_ACCESS_TOKEN: 'glpat-revoked' }, ['--delete-webhook']);
    expect(await denied.exited).toMatchObject({ code: 1 });
    expect(JSON.stringify(denied.logs)).not.toContain('glpat-revoked');
  }, 90_000);

  it('trusts a private CA for the API with GITLAB_CA_CERTS, and keeps serving webhooks without it', async () => {
    const tls = selfSignedCertificate();
    await setup({ tls });

    const untrusting = await start();
    const failure = await untrusting.proc.waitForLog((l) => String(l['msg']).startsWith('webhook management failed'));
    expect(failure['msg']).toContain('fetch failed (DEPTH_ZERO_SELF_SIGNED_CERT: set GITLAB_CA_CERTS)');
    expect(JSON.stringify(untrusting.proc.logs)).not.toContain(ACCESS_TOKEN);
    const push = fixture('push.json');
    expect(
      (
        await postWebhook(untrusting.port, push.body, {
          'x-gitlab-token': SECRET,
          'x-gitlab-event': 'Push Hook',
        })
      ).status,
    ).toBe(200);
    await sink.waitForEvents(1);
    await untrusting.proc.stop();
    expect(server.hooks('projects', PROJECT)).toHaveLength(0);

    const trusting = await start({ GITLAB_CA_CERTS: tls.cert });
    await trusting.proc.waitForLog(hookLine('project', 'created'));
    expect(server.hooks('projects', PROJECT)).toHaveLength(1);
  });

  it('manages a group hook from GITLAB_GROUP_URL', async () => {
    await setup({ groups: ['acme/platform'] });
    const proc = await start({
      GITLAB_GROUP_URL: `${server.url}/acme/platform`,
      GITLAB_EVENT_TYPES: 'push,member,subgroup',
    });
    expect(await proc.proc.waitForLog(hookLine('group', 'created'))).toMatchObject({
      target: `group ${server.url}/acme/platform`,
    });
    expect(server.hooks('groups', 'acme/platform')[0]?.fields).toMatchObject({
      member_events: true,
      subgroup_events: true,
      project_events: false,
    });
  });
});
