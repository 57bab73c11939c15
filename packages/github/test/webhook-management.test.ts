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

afterEach(async () => {
  await adapter?.stop();
  await sink?.close();
  await api?.close();
});

it('installs the hook on a GitHub Enterprise host at startup and removes it on exit', async () => {
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

  expect(await adapter.stop()).toStrictEqual({ code: 0, signal: null });
  expect(api.hooks('repos/Codertocat/Hello-World')).toStrictEqual([]);
  expect(api.writes.at(-1)).toMatchObject({ method: 'DELETE' });
});

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
