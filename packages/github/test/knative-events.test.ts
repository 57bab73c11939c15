import { describe, expect, it } from 'vitest';
import { subjectAndExtensions } from '../src/index.ts';
import { fixture } from './support/fixtures.ts';

// Expected values written from knative-extensions/eventing-github pkg/common/events.go
// (SubjectAndExtensionsFromGitHubEvent, go-playground/webhooks v5 payload types) applied by hand to
// each fixture: subject first, then the extensions in the order events.go sets them. Integer and
// boolean extensions keep their Go types (int64/int → CloudEvents integer, bool → boolean).
const repo = { owner: 'Codertocat', repository: 'Hello-World', sender: 'Codertocat' };

const cases: readonly [
  event: string,
  fixture: string,
  subject: string | undefined,
  extensions: Record<string, unknown>,
][] = [
  ['check_run', 'check_run', '128620228', { ...repo, action: 'created' }],
  ['check_suite', 'check_suite', '118578147', { ...repo, action: 'completed' }],
  [
    'commit_comment',
    'commit_comment',
    '6113728f27ae82c7b1a177c8d03f9e96e0adf246#commitcomment-33548674',
    { ...repo, action: 'created' },
  ],
  ['create', 'create', 'tag', { ...repo, ref: 'simple-tag' }],
  ['delete', 'delete', 'tag', { ...repo, ref: 'simple-tag' }],
  ['deployment', 'deployment', '145988746', repo],
  ['deployment_status', 'deployment_status', '145988746', repo],
  ['fork', 'fork', '186853261', { ...repo, sender: 'Octocoders' }],
  ['gollum', 'gollum', 'Home', { ...repo, sender: 'rachmari' }],
  ['installation', 'installation', '2', { installation: 2, sender: 'octocat', action: 'deleted' }],
  [
    'integration_installation',
    'installation',
    '2',
    { installation: 2, sender: 'octocat', action: 'deleted' },
  ],
  [
    'installation_repositories',
    'installation_repositories',
    '957387',
    { installation: 957387, sender: 'Codertocat', action: 'added' },
  ],
  [
    'integration_installation_repositories',
    'installation_repositories',
    '957387',
    { installation: 957387, sender: 'Codertocat', action: 'added' },
  ],
  ['issue_comment', 'issue_comment', '1#issuecomment-492700400', { ...repo, action: 'created' }],
  // label and assignee are pointers in the Go type: only set when the payload has them.
  ['issues', 'issues', '1', { ...repo, action: 'edited' }],
  ['issues', 'issues.labeled', '1', { ...repo, action: 'labeled', label: 'bug' }],
  ['issues', 'issues.assigned', '1', { ...repo, action: 'assigned', assignee: 'Codertocat' }],
  ['label', 'label', ':bug: Bugfix', { ...repo, action: 'deleted', label: ':bug: Bugfix' }],
  ['member', 'member', '39652351', { ...repo, sender: 'hacktocat', action: 'added' }],
  [
    'membership',
    'membership',
    '21031067',
    { owner: 'Octocoders', scope: 'team', sender: 'Codertocat', action: 'removed' },
  ],
  ['milestone', 'milestone', '1', { ...repo, action: 'created' }],
  [
    'organization',
    'organization',
    'member_added',
    { owner: 'Octocoders', sender: 'Codertocat', action: 'member_added' },
  ],
  ['org_block', 'org_block', 'blocked', { owner: 'Octocoders', sender: 'Octocoders', action: 'blocked' }],
  ['page_build', 'page_build', '130514899', repo],
  ['ping', 'ping', '109948940', { owner: 'Octocoders', repository: 'Hello-World', sender: 'Codertocat' }],
  ['project_card', 'project_card', 'created', { ...repo, action: 'created' }],
  ['project_column', 'project_column', 'created', { ...repo, action: 'created' }],
  ['project', 'project', 'created', { ...repo, action: 'created' }],
  ['public', 'public', '186853002', repo],
  // pull_request: installation is a value struct (0 when absent), label a value struct ("" when absent).
  ['pull_request', 'pull_request', '2', { ...repo, installation: 0, action: 'opened', number: 2, label: '' }],
  [
    'pull_request',
    'pull_request.labeled',
    '2',
    { ...repo, installation: 1, action: 'labeled', number: 2, label: 'bug' },
  ],
  [
    'pull_request',
    'pull_request.assigned',
    '2',
    { ...repo, installation: 1, action: 'assigned', number: 2, label: '', assignee: 'Codertocat' },
  ],
  [
    'pull_request_review_comment',
    'pull_request_review_comment',
    '284312630',
    { ...repo, installation: 0, action: 'created' },
  ],
  [
    'pull_request_review',
    'pull_request_review',
    '237895671',
    { ...repo, installation: 0, action: 'submitted', review: 'commented' },
  ],
  // .../compare/simple-tag → simple-tag; no action extension for push.
  [
    'push',
    'push',
    'simple-tag',
    {
      ...repo,
      installation: 0,
      pusher: 'Codertocat',
      ref: 'refs/tags/simple-tag',
      created: true,
      deleted: false,
      forced: false,
    },
  ],
  [
    'push',
    'push.installation',
    '6113728f27ae...000000000000',
    {
      ...repo,
      installation: 1,
      pusher: 'Codertocat',
      ref: 'refs/tags/simple-tag',
      created: false,
      deleted: true,
      forced: false,
    },
  ],
  // release.name is a *string: null leaves `release` out (the Go SDK would reject the nil and fail the event).
  ['release', 'release', '0.0.1', { ...repo, installation: 0, action: 'published' }],
  ['release', 'release.installation', '0.0.1', { ...repo, installation: 1, action: 'created', release: '' }],
  ['repository', 'repository', '186853002', { ...repo, action: 'publicized' }],
  ['repository_vulnerability_alert', 'repository_vulnerability_alert', '91095730', { action: 'create' }],
  ['security_advisory', 'security_advisory', 'GHSA-rf4j-j272-fj86', { action: 'published' }],
  [
    'status',
    'status',
    '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    { ...repo, state: 'success', name: 'Codertocat/Hello-World', context: 'default' },
  ],
  ['team', 'team', '3253328', { sender: 'Codertocat', action: 'added_to_repository' }],
  [
    'team_add',
    'team_add',
    '186853261',
    { owner: 'Octocoders', repository: 'Hello-World', sender: 'Octocoders' },
  ],
  ['watch', 'watch', '186853002', { ...repo, action: 'started' }],
];

describe('subject and extensions of the events eventing-github knows', () => {
  it.each(cases)('%s (%s.json)', (event, name, subject, extensions) => {
    const actual = subjectAndExtensions(event, fixture(name));
    expect(actual.subject).toBe(subject);
    expect(actual.extensions).toStrictEqual(extensions);
  });

  it('covers every event in events.go ValidEvents', () => {
    const validEvents = [
      'check_run',
      'check_suite',
      'commit_comment',
      'create',
      'delete',
      'deployment',
      'deployment_status',
      'fork',
      'gollum',
      'installation',
      'installation_repositories',
      'integration_installation',
      'integration_installation_repositories',
      'issue_comment',
      'issues',
      'label',
      'member',
      'membership',
      'milestone',
      'organization',
      'org_block',
      'page_build',
      'ping',
      'project_card',
      'project_column',
      'project',
      'public',
      'pull_request',
      'pull_request_review_comment',
      'pull_request_review',
      'push',
      'release',
      'repository',
      'repository_vulnerability_alert',
      'security_advisory',
      'status',
      'team_add',
      'team',
      'watch',
    ];
    expect(validEvents).toHaveLength(39);
    expect(new Set(cases.map(([event]) => event))).toStrictEqual(new Set(validEvents));
  });
});

describe('Go decoding rules', () => {
  it('trims the subject as the Go SDK SetSubject does, and drops an empty one', () => {
    expect(subjectAndExtensions('label', { label: { name: '  needs triage\u00a0' } }).subject).toBe(
      'needs triage',
    );
    expect(subjectAndExtensions('gollum', { pages: [] }).subject).toBeUndefined();
    expect(subjectAndExtensions('create', {}).subject).toBeUndefined();
  });

  it('reads absent and mistyped fields as Go zero values', () => {
    const { subject, extensions } = subjectAndExtensions('push', {
      compare: 42,
      created: 'yes',
      installation: { id: '7' },
    });
    expect(subject).toBeUndefined();
    expect(extensions).toStrictEqual({
      owner: '',
      repository: '',
      sender: '',
      installation: 0,
      pusher: '',
      ref: '',
      created: false,
      deleted: false,
      forced: false,
    });
  });

  it('formats ids that Go reads as int64 as decimal subjects, 0 when absent', () => {
    expect(subjectAndExtensions('check_run', { check_run: { id: 9_007_199_254_740_991 } }).subject).toBe(
      '9007199254740991',
    );
    expect(subjectAndExtensions('check_run', {}).subject).toBe('0');
  });

  it('sends an integer extension outside the 32-bit CloudEvents range as a string', () => {
    const { extensions } = subjectAndExtensions('push', { installation: { id: 3_000_000_000 } });
    expect(extensions['installation']).toBe('3000000000');
  });

  it('joins gollum page names with commas', () => {
    expect(
      subjectAndExtensions('gollum', { pages: [{ page_name: 'Home' }, { page_name: 'Setup' }, {}] }).subject,
    ).toBe('Home,Setup,');
  });

  it('keeps lastPathPortion semantics: nothing after a URL without a slash', () => {
    expect(
      subjectAndExtensions('commit_comment', { comment: { html_url: 'no-slash' } }).subject,
    ).toBeUndefined();
  });
});
