import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Env } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, readGitHubConfig } from '../src/index.ts';

function read(vars: Record<string, string>, args: string[] = []) {
  const env = new Env(vars);
  const config = readGitHubConfig(env, undefined, args);
  return {
    config,
    problems: env.problems.map((p) => `${p.variable}: ${p.message}`),
    warnings: env.warnings.map((p) => `${p.variable}: ${p.message}`),
  };
}

/** An App key as GitHub hands it out: RSA, PKCS#1 PEM. */
const appKey = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

describe('readGitHubConfig', () => {
  it('reads a single repository like eventing-github', () => {
    const { config, problems } = read({
      GITHUB_SECRET_TOKEN: 's3cret',
      GITHUB_OWNER_REPO: 'knative/eventing',
    });
    expect(problems).toStrictEqual([]);
    expect(config).toMatchObject({
      secrets: ['s3cret'],
      rotatingSecret: false,
      webUrl: 'https://github.com',
      source: 'https://github.com/knative/eventing',
      eventTypes: undefined,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      webhook: undefined,
    });
  });

  it('uses the Enterprise web URL for source and its /api/v3 for the API', () => {
    const { config, problems } = read({
      GITHUB_SECRET_TOKEN: 's',
      GITHUB_OWNER_REPO: 'acme',
      GITHUB_URL: 'https://ghe.example.com/',
      GITHUB_ACCESS_TOKEN: 'ghp_x',
      GITHUB_WEBHOOK_URL: 'https://hooks.example.com/github',
    });
    expect(problems).toStrictEqual([]);
    expect(config.source).toBe('https://ghe.example.com/acme');
    expect(config.webhook).toStrictEqual({
      auth: { kind: 'token', token: 'ghp_x' },
      url: 'https://hooks.example.com/github',
      apiUrl: 'https://ghe.example.com/api/v3',
      targets: [{ kind: 'org', org: 'acme' }],
      events: ['*'],
      resyncMs: 600_000,
    });
  });

  it('takes the source from payloads when several repositories are listed', () => {
    const { config } = read({ GITHUB_SECRET_TOKEN: 's', GITHUB_OWNER_REPO: 'a/b, c/d ,org' });
    expect(config.source).toBeUndefined();
  });

  it('reads secrets from files, with a previous one during rotation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'github-config-'));
    writeFileSync(join(dir, 'new'), 'new-secret\n');
    writeFileSync(join(dir, 'old'), 'old-secret\n');
    const { config, problems } = read({
      GITHUB_SECRET_TOKEN_FILE: join(dir, 'new'),
      GITHUB_SECRET_TOKEN_PREVIOUS_FILE: join(dir, 'old'),
    });
    expect(problems).toStrictEqual([]);
    expect(config.secrets).toStrictEqual(['new-secret', 'old-secret']);
    expect(config.rotatingSecret).toBe(true);
  });

  it('accepts event names and full CloudEvent types in the allowlist', () => {
    const { config } = read({
      GITHUB_SECRET_TOKEN: 's',
      GITHUB_EVENT_TYPES: 'push, dev.knative.source.github.pull_request',
    });
    expect(config.eventTypes).toStrictEqual(new Set(['push', 'pull_request']));
    expect(
      read({ GITHUB_SECRET_TOKEN: 's', GITHUB_EVENT_TYPES: 'push,*' }).config.eventTypes,
    ).toBeUndefined();
  });

  it('requires a secret unless unsigned intake is explicitly allowed', () => {
    expect(read({}).problems).toStrictEqual([
      'GITHUB_SECRET_TOKEN: required but not set (set GITHUB_SECRET_TOKEN or GITHUB_SECRET_TOKEN_FILE)',
    ]);
    const unsigned = read({ GITHUB_ALLOW_UNSIGNED: 'true' });
    expect(unsigned.problems).toStrictEqual([]);
    expect(unsigned.config.secrets).toStrictEqual([]);
  });

  it('refuses a mistyped event name at startup, naming the one probably meant', () => {
    expect(read({ GITHUB_SECRET_TOKEN: 's', GITHUB_EVENT_TYPES: 'push,pull_requests,dev.knative.source.github.isues' }).problems).toStrictEqual([
      'GITHUB_EVENT_TYPES: "pull_requests" is not a GitHub event name; did you mean "pull_request"?',
      'GITHUB_EVENT_TYPES: "isues" is not a GitHub event name; did you mean "issues"?',
    ]);
  });

  it('names every bad variable at once', () => {
    const { problems } = read({
      GITHUB_SECRET_TOKEN_PREVIOUS: 'old',
      GITHUB_OWNER_REPO: 'not a repo',
      GITHUB_EVENT_TYPES: 'Push Hook',
      GITHUB_MAX_BODY_BYTES: '0',
      GITHUB_ACCESS_TOKEN: 'ghp_x',
      GITHUB_URL: 'ftp://x',
    });
    expect(problems).toStrictEqual([
      'GITHUB_SECRET_TOKEN: required but not set (set GITHUB_SECRET_TOKEN or GITHUB_SECRET_TOKEN_FILE)',
      'GITHUB_SECRET_TOKEN_PREVIOUS: is set without GITHUB_SECRET_TOKEN (the new secret)',
      'GITHUB_URL: must use http or https, got ftp:',
      'GITHUB_OWNER_REPO: "not a repo" is not "owner/repo" or "org"',
      'GITHUB_EVENT_TYPES: "Push Hook" is not a GitHub event name (like push or pull_request; see packages/github/README.md)',
      'GITHUB_MAX_BODY_BYTES: must be at least 1',
      'GITHUB_WEBHOOK_URL: required when GITHUB_ACCESS_TOKEN is set',
    ]);
  });

  it('needs repositories for webhook management, and both token and URL', () => {
    expect(read({ GITHUB_SECRET_TOKEN: 's', GITHUB_WEBHOOK_URL: 'https://x/' }).problems).toStrictEqual([
      'GITHUB_ACCESS_TOKEN: required when GITHUB_WEBHOOK_URL is set (set it or GITHUB_ACCESS_TOKEN_FILE, or a GitHub App: GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_ID)',
      'GITHUB_OWNER_REPO: required for webhook management: the repos or orgs to install the hook on',
    ]);
    expect(read({ GITHUB_SECRET_TOKEN: 's' }, ['--delete-webhook']).problems).toStrictEqual([
      'GITHUB_WEBHOOK_URL: --delete-webhook needs GITHUB_WEBHOOK_URL and GITHUB_ACCESS_TOKEN or a GitHub App',
    ]);
  });

  it('ignores GITHUB_DELETE_WEBHOOK_ON_EXIT with a warning: a stopping replica never deletes the hook', () => {
    const { problems, warnings } = read({ GITHUB_SECRET_TOKEN: 's', GITHUB_DELETE_WEBHOOK_ON_EXIT: 'true' });
    expect(problems).toStrictEqual([]);
    expect(warnings).toStrictEqual([
      'GITHUB_DELETE_WEBHOOK_ON_EXIT: is ignored: a stopping replica never deletes the hook; run `main.js --delete-webhook` (the chart\'s pre-delete Job does) to remove it',
    ]);
  });

  it('reads GitHub App authentication, converting the PKCS#1 key GitHub hands out to PKCS#8', () => {
    const key = appKey();
    const { config, problems } = read({
      GITHUB_SECRET_TOKEN: 's',
      GITHUB_OWNER_REPO: 'acme/app',
      GITHUB_WEBHOOK_URL: 'https://hooks.example.com/github',
      GITHUB_APP_ID: '123456',
      // As pasted into a single-line variable.
      GITHUB_APP_PRIVATE_KEY: key.replaceAll('\n', '\\n'),
      GITHUB_APP_INSTALLATION_ID: '7890',
    });
    expect(problems).toStrictEqual([]);
    expect(config.webhook?.auth).toMatchObject({ kind: 'app', appId: '123456', installationId: 7890 });
    const auth = config.webhook?.auth;
    expect(auth?.kind === 'app' && auth.privateKey.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
  });

  it('names each missing or malformed GitHub App variable, and refuses a token beside an App', () => {
    expect(
      read({
        GITHUB_SECRET_TOKEN: 's',
        GITHUB_OWNER_REPO: 'acme/app',
        GITHUB_WEBHOOK_URL: 'https://hooks.example.com/github',
        GITHUB_APP_ID: 'my-app',
        GITHUB_APP_PRIVATE_KEY: 'not a key',
      }).problems,
    ).toStrictEqual([
      'GITHUB_APP_INSTALLATION_ID: required for GitHub App authentication (GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY are set)',
      'GITHUB_APP_ID: must be the App ID (a number) or its client ID (Iv…), got "my-app"',
      expect.stringMatching(/^GITHUB_APP_PRIVATE_KEY: is not the App's RSA private key in PEM \(the \.pem file GitHub generates for the App\): /),
    ]);
    const { problems } = read({
      GITHUB_SECRET_TOKEN: 's',
      GITHUB_OWNER_REPO: 'acme/app',
      GITHUB_WEBHOOK_URL: 'https://hooks.example.com/github',
      GITHUB_ACCESS_TOKEN: 'ghp_x',
      GITHUB_APP_ID: '1',
      GITHUB_APP_PRIVATE_KEY: appKey(),
      GITHUB_APP_INSTALLATION_ID: 'abc',
    });
    expect(problems).toStrictEqual([
      'GITHUB_APP_INSTALLATION_ID: must be the installation id (a number: the end of https://github.com/organizations/<org>/settings/installations/<id>), got "abc"',
      'GITHUB_ACCESS_TOKEN: set either GITHUB_ACCESS_TOKEN or a GitHub App (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_ID), not both',
    ]);
    expect(JSON.stringify(problems)).not.toContain('PRIVATE KEY');
  });
});
