import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Env } from '@tributary/core';
import { readGitlabConfig } from '../../src/index.ts';

const read = (vars: Record<string, string>, args: string[] = []) => {
  const env = new Env(vars);
  const config = readGitlabConfig(env, undefined, args);
  return { config, problems: env.problems, warnings: env.warnings };
};

describe('readGitlabConfig', () => {
  it('needs a secret token and a source, naming both', () => {
    expect(read({}).problems.map((p) => p.variable)).toEqual(['GITLAB_SECRET_TOKEN', 'GITLAB_EVENT_SOURCE']);
  });

  it('accepts the env Knative gives its adapter', () => {
    const { config, problems } = read({
      GITLAB_SECRET_TOKEN: 's3cret',
      GITLAB_EVENT_SOURCE: 'https://gitlab.com/acme/app',
    });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      secretToken: 's3cret',
      eventSource: 'https://gitlab.com/acme/app',
      eventTypes: undefined,
      hook: undefined,
    });
    expect(config.allowSystemHooks).toBe(false);
  });

  it('reads the secret from a mounted file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitlab-config-'));
    writeFileSync(join(dir, 'token'), 'from-file\n');
    const { config } = read({
      GITLAB_SECRET_TOKEN_FILE: join(dir, 'token'),
      GITLAB_GROUP_URL: 'https://gitlab.com/acme',
    });
    expect(config.secretToken).toBe('from-file');
  });

  it('runs without a token only when unsigned intake is allowed explicitly', () => {
    const { config, problems } = read({
      GITLAB_ALLOW_UNSIGNED: 'true',
      GITLAB_EVENT_SOURCE: 'https://gitlab.com/a/b',
    });
    expect(problems).toEqual([]);
    expect(config.secretToken).toBeUndefined();
  });

  it('takes type suffixes and Knative hook flag names in GITLAB_EVENT_TYPES, and refuses unknown ones', () => {
    const base = { GITLAB_SECRET_TOKEN: 's', GITLAB_EVENT_SOURCE: 'https://gitlab.com/a/b' };
    const { config } = read({ ...base, GITLAB_EVENT_TYPES: 'push, merge_requests_events,Issues_Events,job' });
    expect([...(config.eventTypes ?? [])]).toEqual(['push', 'merge_request', 'issue', 'job']);
    const bad = read({ ...base, GITLAB_EVENT_TYPES: 'push,pushes' });
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]?.message).toContain('"pushes"');
    expect(bad.problems[0]?.message).toContain('did you mean "push"?');
  });

  it('manages a project hook with GITLAB_ACCESS_TOKEN and GITLAB_WEBHOOK_URL', () => {
    const { config, problems } = read({
      GITLAB_SECRET_TOKEN: 's',
      GITLAB_EVENT_SOURCE: 'https://git.example.com/gitlab/group/sub/project',
      GITLAB_ACCESS_TOKEN: 'glpat-x',
      GITLAB_WEBHOOK_URL: 'https://hooks.example.com/gitlab',
    });
    expect(problems).toEqual([]);
    expect(config.hook).toMatchObject({
      accessToken: 'glpat-x',
      webhookUrl: 'https://hooks.example.com/gitlab',
      sslVerify: true,
      resyncMs: 600_000,
    });
    expect(config.hook?.target.kind).toBe('project');
    expect(config.hook?.target.url.href).toBe('https://git.example.com/gitlab/group/sub/project');
  });

  it('manages a group hook when GITLAB_GROUP_URL is set; GITLAB_DELETE_WEBHOOK_ON_EXIT is ignored, with a warning', () => {
    const { config, warnings } = read({
      GITLAB_SECRET_TOKEN: 's',
      GITLAB_GROUP_URL: 'https://gitlab.com/acme/platform',
      GITLAB_ACCESS_TOKEN: 'glpat-x',
      GITLAB_WEBHOOK_URL: 'https://hooks.example.com/',
      GITLAB_SSL_VERIFY: 'false',
      GITLAB_DELETE_WEBHOOK_ON_EXIT: 'true',
    });
    expect(config.hook?.target.kind).toBe('group');
    expect(config.hook).toMatchObject({ sslVerify: false });
    expect(warnings).toEqual([
      {
        variable: 'GITLAB_DELETE_WEBHOOK_ON_EXIT',
        message:
          "is ignored: a stopping replica never deletes the hook; run `main.js --delete-webhook` (the chart's pre-delete Job does) to remove it",
      },
    ]);
  });

  it('--delete-webhook needs hook management configured', () => {
    const { problems } = read({ GITLAB_SECRET_TOKEN: 's', GITLAB_EVENT_SOURCE: 'https://gitlab.com/a/b' }, ['--delete-webhook']);
    expect(problems).toEqual([
      { variable: 'GITLAB_WEBHOOK_URL', message: '--delete-webhook needs GITLAB_WEBHOOK_URL and GITLAB_ACCESS_TOKEN' },
    ]);
  });

  it('reports half a hook configuration, a bad CA bundle and a base URL the target is not under', () => {
    const { problems } = read({
      GITLAB_SECRET_TOKEN: 's',
      GITLAB_EVENT_SOURCE: 'https://gitlab.com/a/b',
      GITLAB_WEBHOOK_URL: 'https://hooks.example.com/',
      GITLAB_CA_CERTS: 'not a pem',
    });
    expect(problems.map((p) => p.variable)).toEqual(['GITLAB_CA_CERTS', 'GITLAB_ACCESS_TOKEN']);
    const base = read({
      GITLAB_SECRET_TOKEN: 's',
      GITLAB_EVENT_SOURCE: 'https://gitlab.com/a/b',
      GITLAB_WEBHOOK_URL: 'https://hooks.example.com/',
      GITLAB_ACCESS_TOKEN: 't',
      GITLAB_BASE_URL: 'https://other.example.com/gitlab',
    });
    expect(base.problems.map((p) => p.variable)).toEqual(['GITLAB_BASE_URL']);
  });

  it('refuses a source that is not an http(s) URL', () => {
    expect(
      read({ GITLAB_SECRET_TOKEN: 's', GITLAB_EVENT_SOURCE: 'gitlab.com/a/b' }).problems.map(
        (p) => p.variable,
      ),
    ).toEqual(['GITLAB_EVENT_SOURCE']);
  });
});
