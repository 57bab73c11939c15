import { describe, expect, it } from 'vitest';
import {
  GITHUB_EVENT_TYPES,
  githubCloudEvent,
  sourceFromPayload,
  subjectAndExtensions,
} from '../src/index.ts';
import { fixture } from './support/fixtures.ts';

describe('events eventing-github does not know', () => {
  it.each([
    [
      'workflow_run',
      'workflow_run',
      '1589141559',
      { owner: 'Codertocat', repository: 'Hello-World', sender: 'Codertocat', action: 'completed' },
    ],
    [
      'discussion',
      'discussion',
      '90',
      { owner: 'octo-org', repository: 'octo-repo', sender: 'Codertocat', action: 'created' },
    ],
    [
      'merge_group',
      'merge_group',
      '2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d',
      {
        owner: 'octo-org',
        repository: 'octo-repo',
        sender: 'Codertocat',
        action: 'checks_requested',
        installation: 1,
      },
    ],
    [
      'code_scanning_alert',
      'code_scanning_alert',
      '10',
      { owner: 'Codertocat', repository: 'Hello-World', sender: 'github', action: 'reopened' },
    ],
    [
      'star',
      'star',
      '186853002',
      { owner: 'Codertocat', repository: 'Hello-World', sender: 'Codertocat', action: 'created' },
    ],
    [
      'github_app_authorization',
      'github_app_authorization',
      undefined,
      { sender: 'octocat', action: 'revoked' },
    ],
  ])('%s gets the common extensions that are present and a subject', (event, name, subject, extensions) => {
    const actual = subjectAndExtensions(event, fixture(name));
    expect(actual.subject).toBe(subject);
    expect(actual.extensions).toStrictEqual(extensions);
  });

  it('falls back to the organization as owner and to the object named like the event', () => {
    const actual = subjectAndExtensions('projects_v2', {
      organization: { login: 'acme' },
      projects_v2: { id: 5, number: 3 },
    });
    expect(actual).toStrictEqual({ subject: '3', extensions: { owner: 'acme' } });
  });

  it('never treats inherited object keys as known events', () => {
    expect(subjectAndExtensions('constructor', { action: 'x' }).extensions).toStrictEqual({ action: 'x' });
  });
});

describe('githubCloudEvent', () => {
  const payload = fixture('push');
  const data = Buffer.from(JSON.stringify(payload, null, 1));

  it('builds the eventing-github event around the raw payload', () => {
    const event = githubCloudEvent(
      { event: 'push', deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958', payload, data },
      { source: 'https://github.com/Codertocat/Hello-World', webUrl: 'https://github.com' },
    );
    expect(event).toStrictEqual({
      id: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      type: 'dev.knative.source.github.push',
      source: 'https://github.com/Codertocat/Hello-World',
      subject: 'simple-tag',
      datacontenttype: 'application/json',
      data,
      extensions: {
        owner: 'Codertocat',
        repository: 'Hello-World',
        sender: 'Codertocat',
        installation: 0,
        pusher: 'Codertocat',
        ref: 'refs/tags/simple-tag',
        created: true,
        deleted: false,
        forced: false,
      },
    });
    expect(event.data).toBe(data);
  });

  it('takes the source from the payload when no single repository is configured', () => {
    const event = githubCloudEvent(
      { event: 'push', deliveryId: 'd', payload, data },
      { source: undefined, webUrl: 'https://github.com' },
    );
    expect(event.source).toBe('https://github.com/Codertocat/Hello-World');
  });
});

describe('sourceFromPayload', () => {
  it('uses the repository web URL, then the organization, then the installation account, then the base', () => {
    const web = 'https://ghe.example.com';
    expect(sourceFromPayload({ repository: { html_url: 'https://ghe.example.com/a/b' } }, web)).toBe(
      'https://ghe.example.com/a/b',
    );
    expect(sourceFromPayload({ organization: { login: 'acme' } }, web)).toBe('https://ghe.example.com/acme');
    expect(sourceFromPayload({ installation: { account: { login: 'bob' } } }, web)).toBe(
      'https://ghe.example.com/bob',
    );
    expect(sourceFromPayload({}, web)).toBe(web);
  });
});

describe('event catalogue', () => {
  it('lists every GitHub event as a dev.knative.source.github type', () => {
    const types = GITHUB_EVENT_TYPES.map((t) => t.type);
    for (const name of ['push', 'pull_request', 'workflow_run', 'integration_installation', 'ping']) {
      expect(types).toContain(`dev.knative.source.github.${name}`);
    }
    expect(types.length).toBeGreaterThan(70);
    expect(new Set(types).size).toBe(types.length);
  });
});
