import { createLogger, createMetrics, Env } from '@tributary/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readGitHubConfig, WebhookManager, type GitHubConfig } from '../src/index.ts';
import { startGitHubApiServer, type GitHubApiServer } from './support/github-api-server.ts';

const HOOK_URL = 'https://hooks.example.com/github';
const TOKEN = 'ghp_test_token';
let api: GitHubApiServer;

function managerFor(vars: Record<string, string>): { manager: WebhookManager; config: GitHubConfig } {
  const env = new Env({
    GITHUB_SECRET_TOKEN: 'current-secret',
    GITHUB_ACCESS_TOKEN: TOKEN,
    GITHUB_WEBHOOK_URL: HOOK_URL,
    GITHUB_API_URL: api.url,
    ...vars,
  });
  const config = readGitHubConfig(env);
  env.assertValid();
  const management = config.webhook;
  if (management === undefined) throw new Error('webhook management not configured');
  const logger = createLogger('error', { adapter: 'github' });
  logger.level = 'silent';
  const manager = new WebhookManager(config, management, logger, createMetrics({ adapter: 'github' }, false));
  return { manager, config };
}

beforeEach(async () => {
  api = await startGitHubApiServer({ scopes: ['acme/app', 'acme/lib', 'acme'], token: TOKEN, pageSize: 2 });
});
afterEach(async () => {
  await api.close();
});

describe('WebhookManager with the Octokit REST client', () => {
  it('creates a missing repository hook with our URL, events, JSON content and secret', async () => {
    const { manager } = managerFor({
      GITHUB_OWNER_REPO: 'acme/app',
      GITHUB_EVENT_TYPES: 'push,pull_request',
    });
    const hooks = await manager.syncAll();
    expect(hooks.map((h) => h.api.name)).toStrictEqual(['repository acme/app']);
    expect(api.hooks('repos/acme/app')).toStrictEqual([
      {
        id: hooks[0]?.hookId,
        name: 'web',
        active: true,
        events: ['push', 'pull_request'],
        config: { url: HOOK_URL, content_type: 'json', insecure_ssl: '0', secret: 'current-secret' },
      },
    ]);
    expect(api.authorizations.every((a) => a === `token ${TOKEN}`)).toBe(true);
  });

  it('does not write when the hook already exists with the same config', async () => {
    const other = {
      name: 'web',
      active: true,
      events: ['push'],
      config: { url: 'https://elsewhere.example.com/', content_type: 'json' },
    };
    api.seed('repos/acme/app', other);
    api.seed('repos/acme/app', other);
    // Third on the list: found through Link pagination (page size 2).
    const existing = api.seed('repos/acme/app', {
      name: 'web',
      active: true,
      events: ['*'],
      config: { url: HOOK_URL, content_type: 'json', insecure_ssl: '1', secret: 'current-secret' },
    });
    const { manager } = managerFor({ GITHUB_OWNER_REPO: 'acme/app' });
    const hooks = await manager.syncAll();
    expect(hooks.map((h) => h.hookId)).toStrictEqual([existing.id]);
    expect(api.writes).toStrictEqual([]);
  });

  it('updates only a hook that differs, keeping its TLS setting', async () => {
    const existing = api.seed('repos/acme/app', {
      name: 'web',
      active: false,
      events: ['push'],
      config: { url: HOOK_URL, content_type: 'form', insecure_ssl: '1' },
    });
    const { manager } = managerFor({ GITHUB_OWNER_REPO: 'acme/app', GITHUB_EVENT_TYPES: 'push,issues' });
    await manager.syncAll();
    expect(api.writes).toHaveLength(1);
    expect(api.writes[0]).toMatchObject({ method: 'PATCH', path: `/repos/acme/app/hooks/${existing.id}` });
    expect(api.hooks('repos/acme/app')).toStrictEqual([
      {
        id: existing.id,
        name: 'web',
        active: true,
        events: ['push', 'issues'],
        config: { url: HOOK_URL, content_type: 'json', insecure_ssl: '1', secret: 'current-secret' },
      },
    ]);
  });

  it('rewrites the secret while a rotation is under way', async () => {
    api.seed('repos/acme/app', {
      name: 'web',
      active: true,
      events: ['*'],
      config: { url: HOOK_URL, content_type: 'json', insecure_ssl: '0', secret: 'old-secret' },
    });
    const { manager } = managerFor({
      GITHUB_OWNER_REPO: 'acme/app',
      GITHUB_SECRET_TOKEN_PREVIOUS: 'old-secret',
    });
    await manager.syncAll();
    expect(api.writes.map((w) => w.method)).toStrictEqual(['PATCH']);
    expect(api.hooks('repos/acme/app')[0]?.config.secret).toBe('current-secret');
  });

  it('manages organization hooks and several targets, and deletes them on request', async () => {
    const { manager } = managerFor({ GITHUB_OWNER_REPO: 'acme, acme/lib' });
    const hooks = await manager.syncAll();
    expect(api.hooks('orgs/acme')).toHaveLength(1);
    expect(api.hooks('repos/acme/lib')).toHaveLength(1);
    expect(api.writes.map((w) => `${w.method} ${w.path}`).sort()).toStrictEqual([
      'POST /orgs/acme/hooks',
      'POST /repos/acme/lib/hooks',
    ]);

    await manager.deleteAll(hooks);
    expect(api.hooks('orgs/acme')).toStrictEqual([]);
    expect(api.hooks('repos/acme/lib')).toStrictEqual([]);
  });

  it('reports a failing target and still manages the others', async () => {
    const { manager } = managerFor({ GITHUB_OWNER_REPO: 'acme/missing,acme/app' });
    const hooks = await manager.syncAll();
    expect(hooks.map((h) => h.api.name)).toStrictEqual(['repository acme/app']);
    expect(api.hooks('repos/acme/app')).toHaveLength(1);
  });

  it('reports a bad token without throwing', async () => {
    const { manager } = managerFor({ GITHUB_OWNER_REPO: 'acme/app', GITHUB_ACCESS_TOKEN: 'wrong' });
    expect(await manager.syncAll()).toStrictEqual([]);
    expect(api.writes).toStrictEqual([]);
  });
});
