import { describe, expect, it } from 'vitest';
import { GITLAB_EVENT_TYPES, eventKindBySuffix, gitlabEvent, subjectOf, typeSuffix, type Payload } from '../../src/index.ts';
import { EXPECTED, GROUP_URL, fixture, loadFixtures } from '../support/fixtures.ts';

const parse = (body: Buffer) => JSON.parse(body.toString('utf8')) as Payload;

describe('typeSuffix', () => {
  it('drops " Hook", turns spaces into underscores and lower-cases, as eventing-gitlab does', () => {
    expect(typeSuffix('Push Hook')).toBe('push');
    expect(typeSuffix('Tag Push Hook')).toBe('tag_push');
    expect(typeSuffix('Merge Request Hook')).toBe('merge_request');
    expect(typeSuffix('Issue Hook')).toBe('issue');
    expect(typeSuffix('Confidential Issue Hook')).toBe('confidential_issue');
    expect(typeSuffix('Confidential Note Hook')).toBe('confidential_note');
    expect(typeSuffix('Job Hook')).toBe('job');
    expect(typeSuffix('Resource Access Token Hook')).toBe('resource_access_token');
    expect(typeSuffix('System Hook')).toBe('system');
  });

  it('round-trips with the catalogue for every header in the documented examples', () => {
    for (const { header } of loadFixtures()) expect(eventKindBySuffix(typeSuffix(header) ?? '')?.header).toBe(header);
  });

  it('refuses headers that do not name a hook', () => {
    for (const header of ['Push', 'push hook', 'Hook', ' Hook', 'Push_Event Hook', 'Push Hook '])
      expect(typeSuffix(header)).toBeUndefined();
  });
});

describe('gitlabEvent on GitLab documented payloads', () => {
  const rules = { eventSource: undefined, groupUrl: GROUP_URL };

  it.each(loadFixtures().map((f) => [f.file, f] as const))('%s', (file, f) => {
    const expected = EXPECTED[file];
    if (!expected) throw new Error(`no expectation for ${file}`);
    const event = gitlabEvent(
      { eventHeader: f.header, body: f.body, payload: parse(f.body), deliveryId: 'd-1' },
      rules,
    );
    expect(event).toEqual({
      id: 'd-1',
      type: `dev.knative.sources.gitlab.${expected.suffix}`,
      source: expected.source,
      subject: expected.subject,
      datacontenttype: 'application/json',
      data: f.body,
      extensions: { comgitlabevent: f.header },
    });
  });

  it('uses GITLAB_EVENT_SOURCE for every event when set, as Knative does', () => {
    const f = fixture('member.json');
    const event = gitlabEvent(
      { eventHeader: f.header, body: f.body, payload: parse(f.body), deliveryId: undefined },
      { eventSource: 'https://gitlab.com/acme/app', groupUrl: undefined },
      () => 'random-id',
    );
    expect(event.source).toBe('https://gitlab.com/acme/app');
    expect(event.id).toBe('random-id');
  });

  it('keeps the body bytes, not a re-encoding of them', () => {
    const f = fixture('subgroup.json');
    const event = gitlabEvent(
      { eventHeader: f.header, body: f.body, payload: parse(f.body), deliveryId: 'x' },
      rules,
    );
    expect(Buffer.from(event.data as Uint8Array).equals(f.body)).toBe(true);
    expect(f.body.toString('utf8')).toContain('{\n\n  "created_at"');
  });

  it('maps a confidential issue like an issue, under its own type', () => {
    const f = fixture('issue.json');
    const event = gitlabEvent(
      { eventHeader: 'Confidential Issue Hook', body: f.body, payload: parse(f.body), deliveryId: 'c' },
      rules,
    );
    expect(event.type).toBe('dev.knative.sources.gitlab.confidential_issue');
    expect(event.subject).toBe('23');
  });
});

describe('subjectOf', () => {
  it('leaves the subject out when the payload has no usable value', () => {
    expect(subjectOf('push', {})).toBeUndefined();
    expect(subjectOf('push', { ref: '' })).toBeUndefined();
    expect(subjectOf('issue', { object_attributes: { iid: { nested: true } } })).toBeUndefined();
    expect(subjectOf('some_future', { ref: 'x' })).toBeUndefined();
  });

  it('names a System Hook event by event_name, else object_kind', () => {
    expect(subjectOf('system', { event_name: 'user_create' })).toBe('user_create');
    expect(subjectOf('system', { object_kind: 'merge_request' })).toBe('merge_request');
  });
});

describe('GITLAB_EVENT_TYPES', () => {
  it('lists one type per known hook, each under dev.knative.sources.gitlab.', () => {
    const types = GITLAB_EVENT_TYPES.map((t) => t.type);
    expect(new Set(types).size).toBe(types.length);
    for (const { suffix } of Object.values(EXPECTED))
      expect(types).toContain(`dev.knative.sources.gitlab.${suffix}`);
    expect(types).toContain('dev.knative.sources.gitlab.confidential_note');
  });
});
