import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Env } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, readGitHubConfig } from '../src/index.ts';

function read(vars: Record<string, string>) {
  const env = new Env(vars);
  const config = readGitHubConfig(env);
  return { config, problems: env.problems.map((p) => `${p.variable}: ${p.message}`) };
}

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
      token: 'ghp_x',
      url: 'https://hooks.example.com/github',
      apiUrl: 'https://ghe.example.com/api/v3',
      targets: [{ kind: 'org', org: 'acme' }],
      events: ['*'],
      deleteOnExit: false,
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
      'GITHUB_ACCESS_TOKEN: required when GITHUB_WEBHOOK_URL is set (set it or GITHUB_ACCESS_TOKEN_FILE)',
      'GITHUB_OWNER_REPO: required for webhook management: the repos or orgs to install the hook on',
    ]);
    expect(read({ GITHUB_SECRET_TOKEN: 's', GITHUB_DELETE_WEBHOOK_ON_EXIT: 'true' }).problems).toStrictEqual([
      'GITHUB_DELETE_WEBHOOK_ON_EXIT: needs GITHUB_ACCESS_TOKEN and GITHUB_WEBHOOK_URL',
    ]);
  });
});
