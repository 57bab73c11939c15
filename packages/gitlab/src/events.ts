/**
 * Every GitLab hook this adapter knows by name: the `X-Gitlab-Event` header GitLab sends, the
 * CloudEvent type suffix derived from it (docs/contracts.md §6), and the hook flag that turns it on in
 * the project or group hooks API. The intake also accepts any other `<Name> Hook` header GitLab
 * may add later; this table is for the event registry, `GITLAB_EVENT_TYPES` and hook management.
 */
export interface GitlabEventKind {
  /** Type suffix: `dev.knative.sources.gitlab.<suffix>`. */
  readonly suffix: string;
  readonly header: string;
  /** Hook API flag, e.g. `push_events`; undefined for System Hook (admin-level, not managed). */
  readonly flag: string | undefined;
  /** Group-only events exist only on group hooks. */
  readonly scope: 'project' | 'group' | 'system';
  readonly description: string;
}

type Row = readonly [
  suffix: string,
  flag: string | undefined,
  scope: GitlabEventKind['scope'],
  description: string,
];

// prettier-ignore
const ROWS: readonly Row[] = [
  ['push',                  'push_events',                  'project', 'Commits were pushed to a branch.'],
  ['tag_push',              'tag_push_events',              'project', 'A tag was created or deleted.'],
  ['issue',                 'issues_events',                'project', 'An issue or work item was created or changed.'],
  ['confidential_issue',    'confidential_issues_events',   'project', 'A confidential issue was created or changed.'],
  ['note',                  'note_events',                  'project', 'A comment was made or edited.'],
  ['confidential_note',     'confidential_note_events',     'project', 'A comment on a confidential issue was made or edited.'],
  ['merge_request',         'merge_requests_events',        'project', 'A merge request was opened, updated, approved, merged or closed.'],
  ['wiki_page',             'wiki_page_events',             'project', 'A wiki page was created, updated or deleted.'],
  ['pipeline',              'pipeline_events',              'project', 'A pipeline changed status.'],
  ['job',                   'job_events',                   'project', 'A CI/CD job changed status.'],
  ['deployment',            'deployment_events',            'project', 'A deployment started, succeeded, failed or was canceled.'],
  ['release',               'releases_events',              'project', 'A release was created, updated or deleted.'],
  ['feature_flag',          'feature_flag_events',          'project', 'A feature flag was turned on or off.'],
  ['milestone',             'milestone_events',             'project', 'A milestone was created, closed, reopened or deleted.'],
  ['emoji',                 'emoji_events',                 'project', 'An emoji reaction was added or removed.'],
  ['resource_access_token', 'resource_access_token_events', 'project', 'A project or group access token expires soon.'],
  ['vulnerability',         'vulnerability_events',         'project', 'A vulnerability was created or changed.'],
  ['member',                'member_events',                'group',   'A group member was added, changed or removed.'],
  ['project',               'project_events',               'group',   'A project was created or deleted in the group.'],
  ['subgroup',              'subgroup_events',              'group',   'A subgroup was created or removed.'],
  ['system',                undefined,                      'system',  'An instance-wide System Hook event (GITLAB_ALLOW_SYSTEM_HOOKS=true).'],
];

/** `resource_access_token` → `Resource Access Token Hook`: the header each suffix comes from. */
function headerFor(suffix: string): string {
  return `${suffix
    .split('_')
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join(' ')} Hook`;
}

export const GITLAB_EVENT_KINDS: readonly GitlabEventKind[] = ROWS.map(
  ([suffix, flag, scope, description]) => ({
    suffix,
    header: headerFor(suffix),
    flag,
    scope,
    description,
  }),
);

const BY_SUFFIX = new Map(GITLAB_EVENT_KINDS.map((k) => [k.suffix, k]));
const BY_FLAG = new Map(
  GITLAB_EVENT_KINDS.filter((k) => k.flag !== undefined).map((k) => [k.flag as string, k]),
);

export function eventKindBySuffix(suffix: string): GitlabEventKind | undefined {
  return BY_SUFFIX.get(suffix);
}

/**
 * A `GITLAB_EVENT_TYPES` entry: a type suffix (`merge_request`) or, for GitLabSource manifests,
 * the hook flag Knative's `spec.eventTypes` uses (`merge_requests_events`).
 */
export function eventKindByName(name: string): GitlabEventKind | undefined {
  const key = name.trim().toLowerCase();
  return BY_SUFFIX.get(key) ?? BY_FLAG.get(key);
}

/** Hook flags a hook of this scope can carry. */
export function hookFlagsFor(scope: 'project' | 'group'): string[] {
  return GITLAB_EVENT_KINDS.filter(
    (k) => k.flag !== undefined && (k.scope === 'project' || k.scope === scope),
  ).map((k) => k.flag as string);
}
