import {
  createHookMetrics,
  createLogger,
  createMetrics,
  reconcileHook,
  reconcileHooks,
  removeHooks,
  type HookBinding,
} from '@tributary/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GitlabApiFactory,
  candidates,
  descriptionMatchesToken,
  desiredHook,
  gitlabHookBinding,
  locateTarget,
  type DesiredHookInput,
} from '../../src/index.ts';
import { startGitlabApiServer, type GitlabApiServer } from '../support/gitlab-api-server.ts';

const ACCESS_TOKEN = 'glpat-loopback';
const HOOK_URL = 'https://adapter.example.com/gitlab';

const input = (over: Partial<DesiredHookInput> = {}): DesiredHookInput => ({
  scope: 'project',
  webhookUrl: HOOK_URL,
  eventTypes: new Set(['push', 'merge_request', 'release']),
  sslVerify: true,
  secretToken: 'hook-secret',
  ...over,
});

describe('hook management with @gitbeaker/rest against a loopback GitLab', () => {
  let server: GitlabApiServer;
  let factory: GitlabApiFactory;

  beforeEach(async () => {
    server = await startGitlabApiServer({
      token: ACCESS_TOKEN,
      pathPrefix: '/gitlab',
      projects: ['acme/other', 'acme/platform/api'],
      groups: ['acme', 'acme/platform'],
    });
    factory = new GitlabApiFactory({ accessToken: ACCESS_TOKEN, caCerts: undefined });
  });
  afterEach(async () => {
    await factory.close();
    await server.close();
  });

  /** The adapter's binding for a project (or group) of the loopback instance. */
  const binding = (path: string, over: Partial<DesiredHookInput> = {}, kind: 'project' | 'group' = 'project') =>
    gitlabHookBinding(
      {
        accessToken: ACCESS_TOKEN,
        webhookUrl: HOOK_URL,
        target: { kind, url: new URL(`${server.url}/${path}`) },
        baseUrl: undefined,
        sslVerify: true,
        caCerts: undefined,
        resyncMs: 0,
      },
      desiredHook(input({ scope: kind, ...over })),
      factory,
    );
  /** One pass of core's reconcile loop. */
  const sync = (path: string, over: Partial<DesiredHookInput> = {}, kind: 'project' | 'group' = 'project') =>
    reconcileHook(binding(path, over, kind), HOOK_URL, new AbortController().signal);

  const locate = (kind: 'project' | 'group', path: string) =>
    locateTarget(kind, candidates(kind, new URL(`${server.url}/${path}`), undefined), (host) =>
      factory.for(kind, host),
    );

  it('finds a subgroup project on an instance under /gitlab by its URL', async () => {
    const target = await locate('project', 'acme/platform/api');
    expect(target).toEqual({ kind: 'project', host: server.url, id: 101, path: 'acme/platform/api' });
    // The origin was tried first and answered like a reverse proxy would.
    expect(server.requests.map((r) => r.path)).toEqual([
      '/api/v4/projects/gitlab%2Facme%2Fplatform%2Fapi',
      '/gitlab/api/v4/projects/acme%2Fplatform%2Fapi',
    ]);
  });

  it('creates the hook once; a second sync finds it by URL, sees it matches and writes nothing', async () => {
    const first = await sync('acme/platform/api');
    expect(first).toMatchObject({ action: 'created', duplicatesRemoved: [] });
    expect(server.writes()).toBe(1);

    const [hook] = server.hooks('projects', 'acme/platform/api');
    expect(hook?.fields).toMatchObject({
      id: first.hookId,
      url: HOOK_URL,
      push_events: true,
      merge_requests_events: true,
      releases_events: true,
      deployment_events: false,
      issues_events: false,
      enable_ssl_verification: true,
    });
    expect(hook?.token).toBe('hook-secret');
    expect(descriptionMatchesToken(hook?.fields['description'], 'hook-secret')).toBe(true);

    const second = await sync('acme/platform/api');
    expect(second).toEqual({
      hookId: first.hookId,
      action: 'unchanged',
      differences: [],
      duplicatesRemoved: [],
    });
    expect(server.writes()).toBe(1);
    expect(server.hooks('projects', 'acme/platform/api')).toHaveLength(1);
  });

  it('edits the hook only for what differs: a flag, SSL verification, the token', async () => {
    await sync('acme/platform/api');
    const [hook] = server.hooks('projects', 'acme/platform/api');
    if (!hook) throw new Error('no hook');

    hook.fields['releases_events'] = false;
    expect(await sync('acme/platform/api')).toMatchObject({
      action: 'updated',
      differences: ['releases_events'],
    });
    expect(hook.fields['releases_events']).toBe(true);

    expect(await sync('acme/platform/api', { sslVerify: false })).toMatchObject({
      action: 'updated',
      differences: ['enable_ssl_verification'],
    });
    expect(hook.fields['enable_ssl_verification']).toBe(false);

    expect(
      await sync('acme/platform/api', { sslVerify: false, secretToken: 'rotated' }),
    ).toMatchObject({
      action: 'updated',
      differences: ['token'],
    });
    expect(hook.token).toBe('rotated');
    expect(server.writes()).toBe(4);
    expect(
      await sync('acme/platform/api', { sslVerify: false, secretToken: 'rotated' }),
    ).toMatchObject({ action: 'unchanged' });
    expect(server.writes()).toBe(4);
  });

  it('pages through many hooks to find its own instead of adding a second one', async () => {
    for (let i = 0; i < 120; i++)
      server.seedHook('projects', 'acme/other', { url: `https://elsewhere.example.com/${i}` });
    expect((await sync('acme/other')).action).toBe('created');
    expect((await sync('acme/other')).action).toBe('unchanged');
    expect(server.hooks('projects', 'acme/other').filter((h) => h.fields.url === HOOK_URL)).toHaveLength(1);
    // 121 hooks at 100 a page: the client followed GitLab's Link header to page 2.
    expect(
      server.requests.filter((r) => r.path.endsWith('/hooks') && r.query.includes('page=2')),
    ).toHaveLength(3);
  });

  it('keeps the lowest-numbered hook with its URL, removes the others and leaves other hooks alone', async () => {
    const kept = server.seedHook('projects', 'acme/other', { url: HOOK_URL });
    server.seedHook('projects', 'acme/other', { url: 'https://unrelated.example.com/' });
    const duplicate = server.seedHook('projects', 'acme/other', { url: HOOK_URL });
    const result = await sync('acme/other');
    expect(result).toMatchObject({ hookId: kept.fields.id, action: 'updated', duplicatesRemoved: [duplicate.fields.id] });
    expect(server.hooks('projects', 'acme/other').map((h) => h.fields.url)).toEqual([
      HOOK_URL,
      'https://unrelated.example.com/',
    ]);
  });

  it('manages a group hook with the group-only flags', async () => {
    const target = await locate('group', 'acme/platform');
    expect(target).toMatchObject({ kind: 'group', id: 501 });
    const result = await sync('acme/platform', { eventTypes: undefined }, 'group');
    expect(result.action).toBe('created');
    const [hook] = server.hooks('groups', 'acme/platform');
    expect(hook?.fields).toMatchObject({
      member_events: true,
      subgroup_events: true,
      project_events: true,
      push_events: true,
      job_events: true,
    });
  });

  it('removal (--delete-webhook) deletes the hook, then finds nothing to delete; a missing project is done', async () => {
    await sync('acme/other');
    const logger = quiet();
    const options = { url: HOOK_URL, logger, metrics: createHookMetrics(createMetrics({}, false)), attempts: 1 };
    const signal = new AbortController().signal;
    await removeHooks([binding('acme/other')], options, signal);
    expect(server.hooks('projects', 'acme/other')).toHaveLength(0);
    await removeHooks([binding('acme/other')], options, signal);
    await removeHooks([binding('acme/missing')], options, signal);
    const wrong = new GitlabApiFactory({ accessToken: 'nope', caCerts: undefined });
    const unauthorized = gitlabHookBinding(
      {
        accessToken: 'nope',
        webhookUrl: HOOK_URL,
        target: { kind: 'project', url: new URL(`${server.url}/acme/other`) },
        baseUrl: new URL(server.url),
        sslVerify: true,
        caCerts: undefined,
        resyncMs: 0,
      },
      desiredHook(input()),
      wrong,
    );
    // A 401 is not "absent": the Job must fail rather than leave a hook behind unnoticed.
    await expect(removeHooks([unauthorized], options, signal)).rejects.toThrow('could not remove the webhook');
    await wrong.close();
  });

  /** Core's reconcile loop, run until the hook is in place, with fast retries. */
  const quiet = () => {
    const logger = createLogger('error', {});
    logger.level = 'silent';
    return logger;
  };
  const keep = (bindings: HookBinding<unknown>[], metrics = createMetrics({}, false)) =>
    reconcileHooks(
      bindings,
      {
        url: HOOK_URL,
        logger: quiet(),
        metrics: createHookMetrics(metrics),
        retry: { initialDelayMs: 1, maxDelayMs: 20 },
        resyncMs: 0,
      },
      new AbortController().signal,
    );

  it('an API that fails the first three calls still ends with exactly one hook, counting each failure', async () => {
    server.failNext(3);
    const metrics = createMetrics({}, false);
    await keep([binding('acme/platform/api') as HookBinding<unknown>], metrics);
    expect(server.hooks('projects', 'acme/platform/api')).toHaveLength(1);
    const counted = await metrics.registry.getSingleMetricAsString('tributary_webhook_operations_total');
    expect(counted).toMatch(/outcome="failed"} 3$/m);
    expect(counted).toMatch(/outcome="created"} 1$/m);
  });

  it('two replicas starting at once end with exactly one hook', async () => {
    const other = new GitlabApiFactory({ accessToken: ACCESS_TOKEN, caCerts: undefined });
    const replica = gitlabHookBinding(
      {
        accessToken: ACCESS_TOKEN,
        webhookUrl: HOOK_URL,
        target: { kind: 'project', url: new URL(`${server.url}/acme/platform/api`) },
        baseUrl: undefined,
        sslVerify: true,
        caCerts: undefined,
        resyncMs: 0,
      },
      desiredHook(input()),
      other,
    );
    await Promise.all([keep([binding('acme/platform/api') as HookBinding<unknown>]), keep([replica as HookBinding<unknown>])]);
    await other.close();
    expect(server.hooks('projects', 'acme/platform/api')).toHaveLength(1);
  });

  it('says where it looked when the project or the token is wrong', async () => {
    await expect(locate('project', 'acme/missing')).rejects.toThrow(
      /GitLab project not found .*HTTP 404.*\/gitlab: HTTP 404/,
    );
    const wrong = new GitlabApiFactory({ accessToken: 'nope', caCerts: undefined });
    const list = candidates('project', new URL(`${server.url}/acme/other`), new URL(server.url));
    await expect(locateTarget('project', list, (host) => wrong.for('project', host))).rejects.toThrow(
      /HTTP 401/,
    );
    await wrong.close();
  });
});
