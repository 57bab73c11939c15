import { sameHookUrl } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  candidates,
  describeToken,
  descriptionMatchesToken,
  desiredHook,
  hookDifferences,
  hookRequestOptions,
  pathSegments,
} from '../../src/index.ts';

describe('desiredHook', () => {
  it('maps GITLAB_EVENT_TYPES to hook flags and turns every other flag of the scope off', () => {
    const hook = desiredHook({
      scope: 'project',
      webhookUrl: 'https://hooks.example.com/',
      eventTypes: new Set(['push', 'merge_request', 'deployment', 'release', 'confidential_note']),
      sslVerify: true,
      secretToken: 't',
    });
    const on = Object.entries(hook.flags)
      .filter(([, v]) => v)
      .map(([k]) => k);
    expect(on.sort()).toEqual([
      'confidential_note_events',
      'deployment_events',
      'merge_requests_events',
      'push_events',
      'releases_events',
    ]);
    expect(hook.flags).toMatchObject({ issues_events: false, job_events: false, tag_push_events: false });
    expect('member_events' in hook.flags).toBe(false);
  });

  it('turns on every flag of a group hook when no types are listed', () => {
    const hook = desiredHook({
      scope: 'group',
      webhookUrl: 'https://h/',
      eventTypes: undefined,
      sslVerify: true,
      secretToken: 't',
    });
    expect(Object.values(hook.flags).every(Boolean)).toBe(true);
    expect(hook.flags).toMatchObject({
      member_events: true,
      subgroup_events: true,
      project_events: true,
      push_events: true,
    });
  });
});

describe('hookDifferences', () => {
  const desired = desiredHook({
    scope: 'project',
    webhookUrl: 'https://h/',
    eventTypes: new Set(['push']),
    sslVerify: true,
    secretToken: 'tok',
  });
  const matching = (): Record<string, unknown> => ({
    id: 1,
    url: 'https://h/',
    ...hookRequestOptions(desired),
  });

  it('finds nothing on a hook written from the desired state', () => {
    expect(hookDifferences(matching(), desired)).toEqual([]);
  });

  it('names a flag, SSL verification and the token when they differ', () => {
    expect(hookDifferences({ ...matching(), tag_push_events: true }, desired)).toEqual(['tag_push_events']);
    expect(hookDifferences({ ...matching(), enable_ssl_verification: false }, desired)).toEqual([
      'enable_ssl_verification',
    ]);
    expect(hookDifferences({ ...matching(), description: describeToken('other') }, desired)).toEqual([
      'token',
    ]);
    expect(hookDifferences({ ...matching(), description: null }, desired)).toEqual(['token']);
  });

  it('ignores flags the instance does not report', () => {
    const { vulnerability_events: _gone, ...older } = matching();
    expect(hookDifferences(older, desired)).toEqual([]);
  });
});

describe('token fingerprint', () => {
  it('recognises the same token under a new salt and nothing else', () => {
    const description = describeToken('s3cret');
    expect(description).not.toContain('s3cret');
    expect(descriptionMatchesToken(description, 's3cret')).toBe(true);
    expect(descriptionMatchesToken(describeToken('s3cret'), 's3cret')).toBe(true);
    expect(descriptionMatchesToken(description, 's3cres')).toBe(false);
    expect(descriptionMatchesToken(description, undefined)).toBe(false);
    expect(descriptionMatchesToken(describeToken(undefined), undefined)).toBe(true);
    expect(descriptionMatchesToken('set by hand', 's3cret')).toBe(false);
  });
});

describe('candidates', () => {
  it('tries each split of a nested project path, the origin first', () => {
    expect(
      candidates(
        'project',
        new URL('https://git.example.com/gitlab/group/sub/project/-/tree/main'),
        undefined,
      ),
    ).toEqual([
      { host: 'https://git.example.com', path: 'gitlab/group/sub/project' },
      { host: 'https://git.example.com/gitlab', path: 'group/sub/project' },
      { host: 'https://git.example.com/gitlab/group', path: 'sub/project' },
    ]);
  });

  it('uses GITLAB_BASE_URL as the only root', () => {
    expect(
      candidates(
        'group',
        new URL('https://git.example.com/gitlab/team/sub/'),
        new URL('https://git.example.com/gitlab/'),
      ),
    ).toEqual([{ host: 'https://git.example.com/gitlab', path: 'team/sub' }]);
  });

  it('drops a trailing .git and empty segments', () => {
    expect(pathSegments(new URL('https://gitlab.com//acme/app.git'))).toEqual(['acme', 'app']);
  });
});

describe('sameHookUrl', () => {
  it('compares parsed URLs', () => {
    expect(sameHookUrl('HTTPS://Hooks.Example.com:443/x', 'https://hooks.example.com/x')).toBe(true);
    expect(sameHookUrl('https://hooks.example.com/x', 'https://hooks.example.com/y')).toBe(false);
  });
});
