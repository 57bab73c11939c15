import { generateKeyPairSync } from 'node:crypto';
import {
  createHookMetrics,
  createMetrics,
  Env,
  reconcileHooks,
  removeHooks,
  type HookBinding,
  type Metrics,
} from '@tributary/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readGitHubConfig,
  webhookBindings,
  type GitHubConfig,
  type WebhookManagement,
} from '../src/index.ts';
import { captureLogger } from './support/capture-logger.ts';
import { startGitHubApiServer, type GitHubApiServer } from './support/github-api-server.ts';

const HOOK_URL = 'https://hooks.example.com/github';
const TOKEN = 'ghp_test_token';
/** Fast retries: the loop's behaviour, not its wall-clock pacing, is under test. */
const RETRY = { initialDelayMs: 1, maxDelayMs: 20 };
let api: GitHubApiServer;

function configFor(vars: Record<string, string>): { config: GitHubConfig; management: WebhookManagement } {
  const env = new Env({
    GITHUB_SECRET_TOKEN: 'current-secret',
    GITHUB_ACCESS_TOKEN: TOKEN,
    GITHUB_WEBHOOK_URL: HOOK_URL,
    GITHUB_API_URL: api.url,
    ...vars,
  });
  const config = readGitHubConfig(env);
  env.assertValid();
  if (config.webhook === undefined) throw new Error('webhook management not configured');
  return { config, management: config.webhook };
}

/** One replica's reconcile loop, run until every hook is in place once (no resync). */
async function reconcile(vars: Record<string, string>, metrics: Metrics = createMetrics({}, false)) {
  const { config, management } = configFor(vars);
  const { logger, lines } = captureLogger();
  const bindings = webhookBindings(config, management, logger) as HookBinding<unknown>[];
  await reconcileHooks(
    bindings,
    { url: HOOK_URL, logger, metrics: createHookMetrics(metrics), retry: RETRY, resyncMs: 0 },
    new AbortController().signal,
  );
  return { lines, metrics };
}

async function remove(vars: Record<string, string>) {
  const { config, management } = configFor(vars);
  const { logger, lines } = captureLogger();
  const bindings = webhookBindings(config, management, logger) as HookBinding<unknown>[];
  await removeHooks(
    bindings,
    {
      url: HOOK_URL,
      logger,
      metrics: createHookMetrics(createMetrics({}, false)),
      retry: RETRY,
      attempts: 3,
    },
    new AbortController().signal,
  );
  return lines;
}

const ours = (scope: string) => api.hooks(scope).filter((hook) => hook.config.url === HOOK_URL);

beforeEach(async () => {
  api = await startGitHubApiServer({ scopes: ['acme/app', 'acme/lib', 'acme'], token: TOKEN, pageSize: 2 });
});
afterEach(async () => {
  await api.close();
});

describe('the reconcile loop with the Octokit REST client', () => {
  it('creates a missing repository hook with our URL, events, JSON content and secret', async () => {
    const { lines } = await reconcile({
      GITHUB_OWNER_REPO: 'acme/app',
      GITHUB_EVENT_TYPES: 'push,pull_request',
    });
    const [hook] = api.hooks('repos/acme/app');
    expect(api.hooks('repos/acme/app')).toStrictEqual([
      {
        id: hook?.id,
        name: 'web',
        active: true,
        events: ['push', 'pull_request'],
        config: { url: HOOK_URL, content_type: 'json', insecure_ssl: '0', secret: 'current-secret' },
      },
    ]);
    expect(api.authorizations.every((a) => a === `token ${TOKEN}`)).toBe(true);
    expect(lines.find((l) => l['msg'] === 'webhook on repository acme/app created')).toMatchObject({
      hookId: hook?.id,
      action: 'created',
    });
  });

  it('an API that fails the first three calls still ends with exactly one hook, counting each failure', async () => {
    api.failNext(3, 502);
    const { lines, metrics } = await reconcile({ GITHUB_OWNER_REPO: 'acme/app' });
    expect(ours('repos/acme/app')).toHaveLength(1);
    const failures = lines.filter((l) =>
      String(l['msg']).startsWith('webhook management failed for repository acme/app'),
    );
    expect(failures.map((l) => l['failures'])).toStrictEqual([1, 2, 3]);
    expect(failures[0]?.['msg']).toContain('GitHub answered 502');
    const counted = await metrics.registry.getSingleMetricAsString('tributary_webhook_operations_total');
    expect(counted).toContain(
      'tributary_webhook_operations_total{operation="reconcile",target="repository acme/app",outcome="failed"} 3',
    );
    expect(counted).toContain('outcome="created"} 1');
  });

  it('two replicas starting at once end with exactly one hook, the same one kept by both', async () => {
    const [a, b] = await Promise.all([
      reconcile({ GITHUB_OWNER_REPO: 'acme/app' }),
      reconcile({ GITHUB_OWNER_REPO: 'acme/app' }),
    ]);
    expect(ours('repos/acme/app')).toHaveLength(1);
    const kept = (lines: Record<string, unknown>[]) => lines.find((l) => 'hookId' in l)?.['hookId'];
    expect(kept(a.lines)).toBe(ours('repos/acme/app')[0]?.id);
    expect(kept(b.lines)).toBe(ours('repos/acme/app')[0]?.id);
  });

  it('keeps the lowest-numbered of several hooks with our URL and deletes the others', async () => {
    const settings = {
      name: 'web',
      active: true,
      events: ['*'],
      config: { url: HOOK_URL, content_type: 'json', secret: 's' },
    };
    const first = api.seed('repos/acme/app', settings);
    const second = api.seed('repos/acme/app', settings);
    api.seed('repos/acme/app', {
      ...settings,
      config: { url: 'https://elsewhere.example.com/', content_type: 'json' },
    });
    const { lines } = await reconcile({ GITHUB_OWNER_REPO: 'acme/app' });
    expect(api.hooks('repos/acme/app').map((h) => h.id)).toStrictEqual([first.id, expect.any(Number)]);
    expect(api.writes.map((w) => `${w.method} ${w.path}`)).toStrictEqual([
      `DELETE /repos/acme/app/hooks/${second.id}`,
    ]);
    expect(lines.find((l) => l['level'] === 'warn')).toMatchObject({ removed: [second.id] });
  });

  it('does not write when the hook already exists with the same config (found on a later page)', async () => {
    const other = {
      name: 'web',
      active: true,
      events: ['push'],
      config: { url: 'https://elsewhere.example.com/', content_type: 'json' },
    };
    api.seed('repos/acme/app', other);
    api.seed('repos/acme/app', other);
    api.seed('repos/acme/app', {
      name: 'web',
      active: true,
      events: ['*'],
      config: { url: HOOK_URL, content_type: 'json', insecure_ssl: '1', secret: 'current-secret' },
    });
    await reconcile({ GITHUB_OWNER_REPO: 'acme/app' });
    expect(api.writes).toStrictEqual([]);
  });

  it('updates only a hook that differs, keeping its TLS setting', async () => {
    const existing = api.seed('repos/acme/app', {
      name: 'web',
      active: false,
      events: ['push'],
      config: { url: HOOK_URL, content_type: 'form', insecure_ssl: '1' },
    });
    await reconcile({ GITHUB_OWNER_REPO: 'acme/app', GITHUB_EVENT_TYPES: 'push,issues' });
    expect(api.writes.map((w) => `${w.method} ${w.path}`)).toStrictEqual([
      `PATCH /repos/acme/app/hooks/${existing.id}`,
    ]);
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
    await reconcile({ GITHUB_OWNER_REPO: 'acme/app', GITHUB_SECRET_TOKEN_PREVIOUS: 'old-secret' });
    expect(api.writes.map((w) => w.method)).toStrictEqual(['PATCH']);
    expect(api.hooks('repos/acme/app')[0]?.config.secret).toBe('current-secret');
  });

  it('manages organization hooks and several targets, each on its own', async () => {
    await reconcile({ GITHUB_OWNER_REPO: 'acme, acme/lib' });
    expect(api.writes.map((w) => `${w.method} ${w.path}`).sort()).toStrictEqual([
      'POST /orgs/acme/hooks',
      'POST /repos/acme/lib/hooks',
    ]);
  });

  it('never gives up on a bad token: it keeps retrying, logging why, until stopped', async () => {
    const { config, management } = configFor({ GITHUB_OWNER_REPO: 'acme/app', GITHUB_ACCESS_TOKEN: 'wrong' });
    const { logger, lines } = captureLogger();
    const stop = new AbortController();
    const running = reconcileHooks(
      webhookBindings(config, management, logger) as HookBinding<unknown>[],
      { url: HOOK_URL, logger, metrics: createHookMetrics(createMetrics({}, false)), retry: RETRY },
      stop.signal,
    );
    while (lines.filter((l) => l['level'] === 'error').length < 5) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    await running;
    expect(lines.find((l) => l['level'] === 'error')?.['msg']).toContain(
      'GitHub answered 401: Bad credentials (GITHUB_ACCESS_TOKEN is not valid); retrying in',
    );
    expect(api.writes).toStrictEqual([]);
    expect(JSON.stringify(lines)).not.toContain('wrong');
  });
});

describe('GitHub App authentication', () => {
  it('mints an installation token from the App key (a JWT) and manages the hook with it', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await api.close();
    api = await startGitHubApiServer({
      scopes: ['acme/app'],
      token: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
      app: { id: '424242', publicKey, installationId: 31337 },
    });
    await reconcile({
      GITHUB_OWNER_REPO: 'acme/app',
      GITHUB_ACCESS_TOKEN: '',
      GITHUB_APP_ID: '424242',
      GITHUB_APP_PRIVATE_KEY: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      GITHUB_APP_INSTALLATION_ID: '31337',
    });
    expect(api.mintedTokens).toStrictEqual(['ghs_16C7e42F292c6912E7710c838347Ae178B4a']);
    expect(api.authorizations[0]).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/i);
    expect(
      api.authorizations.slice(1).every((a) => a === 'token ghs_16C7e42F292c6912E7710c838347Ae178B4a'),
    ).toBe(true);
    expect(ours('repos/acme/app')).toHaveLength(1);
  });

  it("a key that is not the App's is refused by the API, and the loop says which variables to check", async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await api.close();
    api = await startGitHubApiServer({
      scopes: ['acme/app'],
      token: 'ghs_x',
      app: { id: '1', publicKey, installationId: 2 },
    });
    const { config, management } = configFor({
      GITHUB_OWNER_REPO: 'acme/app',
      GITHUB_ACCESS_TOKEN: '',
      GITHUB_APP_ID: '1',
      GITHUB_APP_PRIVATE_KEY: other.export({ type: 'pkcs8', format: 'pem' }).toString(),
      GITHUB_APP_INSTALLATION_ID: '2',
    });
    const { logger, lines } = captureLogger();
    const stop = new AbortController();
    const running = reconcileHooks(
      webhookBindings(config, management, logger) as HookBinding<unknown>[],
      { url: HOOK_URL, logger, metrics: createHookMetrics(createMetrics({}, false)), retry: RETRY },
      stop.signal,
    );
    while (!lines.some((l) => l['level'] === 'error')) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    await running;
    expect(lines.find((l) => l['level'] === 'error')?.['msg']).toContain(
      'check GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID',
    );
    expect(api.mintedTokens).toStrictEqual([]);
  });
});

describe('removal (--delete-webhook)', () => {
  it('deletes every hook with our URL and nothing else; a target without one is done', async () => {
    const settings = {
      name: 'web',
      active: true,
      events: ['*'],
      config: { url: HOOK_URL, content_type: 'json' },
    };
    api.seed('repos/acme/app', settings);
    api.seed('repos/acme/app', settings);
    const other = api.seed('repos/acme/app', {
      ...settings,
      config: { url: 'https://elsewhere.example.com/' },
    });
    const lines = await remove({ GITHUB_OWNER_REPO: 'acme/app,acme/lib' });
    expect(api.hooks('repos/acme/app').map((h) => h.id)).toStrictEqual([other.id]);
    expect(
      lines
        .filter((l) => l['outcome'] !== undefined)
        .map((l) => [l['target'], l['outcome']])
        .sort(),
    ).toStrictEqual([
      ['repository acme/app', 'deleted'],
      ['repository acme/lib', 'absent'],
    ]);
  });

  it('retries a failing API and throws when it keeps failing, so the Job fails loudly', async () => {
    api.seed('repos/acme/app', { name: 'web', active: true, events: ['*'], config: { url: HOOK_URL } });
    api.failNext(2);
    await remove({ GITHUB_OWNER_REPO: 'acme/app' });
    expect(ours('repos/acme/app')).toStrictEqual([]);

    api.seed('repos/acme/app', { name: 'web', active: true, events: ['*'], config: { url: HOOK_URL } });
    api.failNext(3);
    await expect(remove({ GITHUB_OWNER_REPO: 'acme/app' })).rejects.toThrow(
      'could not remove the webhook from repository acme/app',
    );
    expect(ours('repos/acme/app')).toHaveLength(1);
  });
});
