import {
  adapterEnv,
  bundlePath,
  freePort,
  startProcess,
  startRecordingSink,
  waitFor,
  type AdapterProcess,
  type RecordingSink,
} from '@tributary/testkit';
import { afterEach, expect, it } from 'vitest';
import { deliver, TEST_SECRET } from './support/deliver.ts';
import { fixture } from './support/fixtures.ts';
import { startGitHubApiServer, type GitHubApiServer } from './support/github-api-server.ts';

const TOKEN = 'ghp_integration';
let sink: RecordingSink | undefined;
let adapter: AdapterProcess | undefined;
let api: GitHubApiServer | undefined;
const replicas: AdapterProcess[] = [];

afterEach(async () => {
  await adapter?.stop();
  await Promise.all(replicas.splice(0).map((replica) => replica.stop()));
  await sink?.close();
  await api?.close();
});

it('installs the hook on a GitHub Enterprise host at startup, keeps it when a replica stops, and removes it with --delete-webhook', async () => {
  api = await startGitHubApiServer({ scopes: ['Codertocat/Hello-World'], token: TOKEN });
  sink = await startRecordingSink();
  const env = await adapterEnv(sink.url, {
    GITHUB_SECRET_TOKEN: TEST_SECRET,
    GITHUB_OWNER_REPO: 'Codertocat/Hello-World',
    // An Enterprise web URL: the API is then expected under /api/v3 on the same host.
    GITHUB_URL: api.url,
    GITHUB_ACCESS_TOKEN: TOKEN,
    GITHUB_WEBHOOK_URL: 'https://hooks.example.com/github',
    GITHUB_EVENT_TYPES: 'push',
    GITHUB_DELETE_WEBHOOK_ON_EXIT: 'true',
  });
  adapter = startProcess(bundlePath('github'), env);
  await adapter.waitForReady(Number(env.PORT));
  await waitFor(() => api?.hooks('repos/Codertocat/Hello-World').length === 1, {
    what: 'the hook to be created',
  });
  expect(api.hooks('repos/Codertocat/Hello-World')[0]).toMatchObject({
    events: ['push'],
    config: { url: 'https://hooks.example.com/github', content_type: 'json', secret: TEST_SECRET },
  });
  expect(api.writes.map((w) => `${w.method} ${w.path}`)).toStrictEqual([
    'POST /api/v3/repos/Codertocat/Hello-World/hooks',
  ]);

  const answer = await deliver(Number(env.PORT), {
    event: 'push',
    id: 'enterprise',
    body: JSON.stringify(fixture('push')),
  });
  expect(answer.status).toBe(200);
  const [event] = await sink.waitForEvents(1);
  expect(event?.attributes['source']).toBe(`${api.url}/Codertocat/Hello-World`);

  // GITHUB_DELETE_WEBHOOK_ON_EXIT is ignored, with a warning: other replicas may still serve the hook.
  expect(adapter.logs.find((l) => l['variable'] === 'GITHUB_DELETE_WEBHOOK_ON_EXIT')).toMatchObject({ level: 'warn' });
  expect(await adapter.stop()).toStrictEqual({ code: 0, signal: null });
  expect(api.hooks('repos/Codertocat/Hello-World')).toHaveLength(1);

  // The chart's pre-delete Job: the same env without K_SINK, and the flag. Run twice: the second
  // finds nothing to delete and still succeeds.
  const { K_SINK: _sink, ...jobEnv } = env;
  for (const outcome of ['deleted', 'absent']) {
    const job = startProcess(bundlePath('github'), jobEnv, ['--delete-webhook']);
    expect(await job.exited).toStrictEqual({ code: 0, signal: null });
    expect(job.logs.find((l) => l['outcome'] !== undefined)).toMatchObject({
      target: 'repository Codertocat/Hello-World',
      outcome,
    });
  }
  expect(api.hooks('repos/Codertocat/Hello-World')).toStrictEqual([]);
  expect(api.writes.at(-1)).toMatchObject({ method: 'DELETE' });
}, 90_000);

it('two replicas starting at once end with exactly one hook', async () => {
  api = await startGitHubApiServer({ scopes: ['Codertocat/Hello-World'], token: TOKEN });
  sink = await startRecordingSink();
  const start = async () => {
    const env = await adapterEnv(sink?.url ?? '', {
      GITHUB_SECRET_TOKEN: TEST_SECRET,
      GITHUB_OWNER_REPO: 'Codertocat/Hello-World',
      GITHUB_API_URL: api?.url ?? '',
      GITHUB_ACCESS_TOKEN: TOKEN,
      GITHUB_WEBHOOK_URL: 'https://hooks.example.com/github',
    });
    const replica = startProcess(bundlePath('github'), env);
    replicas.push(replica);
    return replica;
  };
  const both = await Promise.all([start(), start()]);
  const settled = (replica: AdapterProcess) =>
    replica.waitForLog((l) => String(l['msg']).startsWith('webhook on repository Codertocat/Hello-World'));
  const [a, b] = await Promise.all(both.map(settled));
  expect(api.hooks('repos/Codertocat/Hello-World')).toHaveLength(1);
  const [hook] = api.hooks('repos/Codertocat/Hello-World');
  expect([a?.['hookId'], b?.['hookId']]).toStrictEqual([hook?.id, hook?.id]);
}, 90_000);

it('a --delete-webhook run fails (exit 1) when the API keeps failing, and exits 78 without a webhook URL', async () => {
  api = await startGitHubApiServer({ scopes: ['Codertocat/Hello-World'], token: TOKEN });
  const env = {
    GITHUB_SECRET_TOKEN: TEST_SECRET,
    GITHUB_OWNER_REPO: 'Codertocat/Hello-World',
    GITHUB_API_URL: api.url,
    GITHUB_ACCESS_TOKEN: 'wrong',
    GITHUB_WEBHOOK_URL: 'https://hooks.example.com/github',
    PORT: '0',
    METRICS_PORT: '0',
  };
  const unauthorized = startProcess(bundlePath('github'), env, ['--delete-webhook']);
  expect(await unauthorized.exited).toMatchObject({ code: 1 });
  expect(unauthorized.logs.find((l) => l['level'] === 'error')?.['msg']).toContain('GitHub answered 401');

  const { GITHUB_WEBHOOK_URL: _url, GITHUB_ACCESS_TOKEN: _token, ...unmanaged } = env;
  const misconfigured = startProcess(bundlePath('github'), unmanaged, ['--delete-webhook']);
  expect(await misconfigured.exited).toMatchObject({ code: 78 });
  expect(misconfigured.stderr()).toContain('GITHUB_WEBHOOK_URL: --delete-webhook needs GITHUB_WEBHOOK_URL');
}, 90_000);

it('keeps serving webhooks when the GitHub API cannot be reached, and says why', async () => {
  sink = await startRecordingSink();
  const env = await adapterEnv(sink.url, {
    GITHUB_SECRET_TOKEN: TEST_SECRET,
    GITHUB_OWNER_REPO: 'Codertocat/Hello-World',
    GITHUB_ACCESS_TOKEN: TOKEN,
    GITHUB_WEBHOOK_URL: 'https://hooks.example.com/github',
    GITHUB_API_URL: `http://127.0.0.1:${await freePort()}`,
  });
  adapter = startProcess(bundlePath('github'), env);
  await adapter.waitForReady(Number(env.PORT));
  const line = await adapter.waitForLog((l) => String(l['msg']).startsWith('webhook management failed'));
  expect(line).toMatchObject({ level: 'error', target: 'repository Codertocat/Hello-World' });
  expect(String(line['msg'])).toContain('intake keeps running');

  const answer = await deliver(Number(env.PORT), {
    event: 'push',
    id: 'no-api',
    body: JSON.stringify(fixture('push')),
  });
  expect(answer.status).toBe(200);
  await sink.waitForEvents(1);
});
