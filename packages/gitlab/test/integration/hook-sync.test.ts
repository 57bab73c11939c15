import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GitlabApiFactory,
  candidates,
  descriptionMatchesToken,
  desiredHook,
  locateTarget,
  removeHook,
  syncHook,
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
    const target = await locate('project', 'acme/platform/api');
    const api = factory.for('project', target.host).hooks;
    const first = await syncHook(api, target.id, desiredHook(input()));
    expect(first).toMatchObject({ action: 'created', duplicatesRemoved: 0 });
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

    const second = await syncHook(api, target.id, desiredHook(input()));
    expect(second).toEqual({
      hookId: first.hookId,
      action: 'unchanged',
      differences: [],
      duplicatesRemoved: 0,
    });
    expect(server.writes()).toBe(1);
    expect(server.hooks('projects', 'acme/platform/api')).toHaveLength(1);
  });

  it('edits the hook only for what differs: a flag, SSL verification, the token', async () => {
    const target = await locate('project', 'acme/platform/api');
    const api = factory.for('project', target.host).hooks;
    await syncHook(api, target.id, desiredHook(input()));
    const [hook] = server.hooks('projects', 'acme/platform/api');
    if (!hook) throw new Error('no hook');

    hook.fields['releases_events'] = false;
    expect(await syncHook(api, target.id, desiredHook(input()))).toMatchObject({
      action: 'updated',
      differences: ['releases_events'],
    });
    expect(hook.fields['releases_events']).toBe(true);

    expect(await syncHook(api, target.id, desiredHook(input({ sslVerify: false })))).toMatchObject({
      action: 'updated',
      differences: ['enable_ssl_verification'],
    });
    expect(hook.fields['enable_ssl_verification']).toBe(false);

    expect(
      await syncHook(api, target.id, desiredHook(input({ sslVerify: false, secretToken: 'rotated' }))),
    ).toMatchObject({
      action: 'updated',
      differences: ['token'],
    });
    expect(hook.token).toBe('rotated');
    expect(server.writes()).toBe(4);
    expect(
      await syncHook(api, target.id, desiredHook(input({ sslVerify: false, secretToken: 'rotated' }))),
    ).toMatchObject({ action: 'unchanged' });
    expect(server.writes()).toBe(4);
  });

  it('pages through many hooks to find its own instead of adding a second one', async () => {
    for (let i = 0; i < 120; i++)
      server.seedHook('projects', 'acme/other', { url: `https://elsewhere.example.com/${i}` });
    const target = await locate('project', 'acme/other');
    const api = factory.for('project', target.host).hooks;
    expect((await syncHook(api, target.id, desiredHook(input()))).action).toBe('created');
    expect((await syncHook(api, target.id, desiredHook(input()))).action).toBe('unchanged');
    expect(server.hooks('projects', 'acme/other').filter((h) => h.fields.url === HOOK_URL)).toHaveLength(1);
    // 121 hooks at 100 a page: the client followed GitLab's Link header to page 2.
    expect(
      server.requests.filter((r) => r.path.endsWith('/hooks') && r.query.includes('page=2')),
    ).toHaveLength(2);
  });

  it('removes duplicate hooks with its URL and leaves other hooks alone', async () => {
    server.seedHook('projects', 'acme/other', { url: HOOK_URL });
    server.seedHook('projects', 'acme/other', { url: 'https://unrelated.example.com/' });
    server.seedHook('projects', 'acme/other', { url: HOOK_URL });
    const target = await locate('project', 'acme/other');
    const result = await syncHook(factory.for('project', target.host).hooks, target.id, desiredHook(input()));
    expect(result).toMatchObject({ action: 'updated', duplicatesRemoved: 1 });
    expect(server.hooks('projects', 'acme/other').map((h) => h.fields.url)).toEqual([
      HOOK_URL,
      'https://unrelated.example.com/',
    ]);
  });

  it('manages a group hook with the group-only flags', async () => {
    const target = await locate('group', 'acme/platform');
    expect(target).toMatchObject({ kind: 'group', id: 501 });
    const result = await syncHook(
      factory.for('group', target.host).hooks,
      target.id,
      desiredHook(input({ scope: 'group', eventTypes: undefined })),
    );
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

  it('counts a hook that is already gone as deleted', async () => {
    const target = await locate('project', 'acme/other');
    const api = factory.for('project', target.host).hooks;
    const { hookId } = await syncHook(api, target.id, desiredHook(input()));
    expect(await removeHook(api, target.id, hookId)).toBe('deleted');
    expect(await removeHook(api, target.id, hookId)).toBe('already-gone');
    expect(server.hooks('projects', 'acme/other')).toHaveLength(0);
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
