import { readFileSync } from 'node:fs';
import { fixturePath } from '@tributary/testkit';

export interface Fixture {
  readonly file: string;
  /** The `X-Gitlab-Event` header GitLab sends with this payload. */
  readonly header: string;
  readonly section: string;
  /** The payload bytes exactly as stored. */
  readonly body: Buffer;
}

/** GitLab's documented webhook payload examples (see fixtures/README.md). */
export function loadFixtures(): Fixture[] {
  const index = JSON.parse(readFileSync(fixturePath('gitlab', 'index.json'), 'utf8')) as Omit<
    Fixture,
    'body'
  >[];
  return index.map((entry) => ({ ...entry, body: readFileSync(fixturePath('gitlab', entry.file)) }));
}

export function fixture(file: string): Fixture {
  const found = loadFixtures().find((f) => f.file === file);
  if (!found) throw new Error(`no fixture ${file}`);
  return found;
}

/** GITLAB_GROUP_URL used where the expectations below need one. */
export const GROUP_URL = 'http://example.com/webhook-test';

/**
 * What each fixture must map to with GITLAB_GROUP_URL set and GITLAB_EVENT_SOURCE unset: the type
 * suffix from its header, the subject, and the source (project.web_url, else the group URL).
 */
export const EXPECTED: Readonly<Record<string, { suffix: string; subject: string; source: string }>> = {
  'push.json': { suffix: 'push', subject: 'refs/heads/master', source: 'http://example.com/mike/diaspora' },
  'tag_push.json': {
    suffix: 'tag_push',
    subject: 'refs/tags/v1.0.0',
    source: 'http://example.com/jsmith/example',
  },
  'issue.json': { suffix: 'issue', subject: '23', source: 'http://example.com/gitlabhq/gitlab-test' },
  'note-commit.json': {
    suffix: 'note',
    subject: 'cfe32cf61b73a0d5e9f13e774abde7ff789b1660#note_1243',
    source: 'http://example.com/gitlabhq/gitlab-test',
  },
  'note-merge_request.json': {
    suffix: 'note',
    subject: '1#note_1244',
    source: 'http://example.com/gitlab-org/gitlab-test',
  },
  'note-issue.json': {
    suffix: 'note',
    subject: '17#note_1241',
    source: 'http://example.com/gitlab-org/gitlab-test',
  },
  'note-snippet.json': {
    suffix: 'note',
    subject: '53#note_1245',
    source: 'http://example.com/gitlab-org/gitlab-test',
  },
  'merge_request.json': {
    suffix: 'merge_request',
    subject: '1',
    source: 'http://example.com/gitlabhq/gitlab-test',
  },
  'wiki_page.json': {
    suffix: 'wiki_page',
    subject: 'awesome',
    source: 'http://example.com/root/awesome-project',
  },
  'pipeline.json': {
    suffix: 'pipeline',
    subject: '31',
    source: 'http://192.168.64.1:3005/gitlab-org/gitlab-test',
  },
  'job.json': { suffix: 'job', subject: '1977', source: 'http://192.168.64.1:3005/gitlab-org/gitlab-test' },
  'deployment.json': {
    suffix: 'deployment',
    subject: '15',
    source: 'http://10.126.0.2:3000/root/test-deployment-webhooks',
  },
  'member.json': { suffix: 'member', subject: 'test_user', source: GROUP_URL },
  'project.json': { suffix: 'project', subject: 'group1/project1', source: GROUP_URL },
  'subgroup.json': { suffix: 'subgroup', subject: 'group1/subgroup1', source: GROUP_URL },
  'feature_flag.json': {
    suffix: 'feature_flag',
    subject: 'test-feature-flag',
    source: 'http://example.com/gitlabhq/gitlab-test',
  },
  'release.json': {
    suffix: 'release',
    subject: 'v1.1',
    source: 'https://example.com/gitlab-org/release-webhook-example',
  },
  'milestone.json': { suffix: 'milestone', subject: '10', source: 'http://example.com/gitlabhq/gitlab-test' },
  'emoji.json': { suffix: 'emoji', subject: '42#note_363', source: 'http://example.com/flightjs/Flight' },
  'resource_access_token-project.json': {
    suffix: 'resource_access_token',
    subject: '25',
    source: 'https://example.com/flightjs/Flight',
  },
  'resource_access_token-group.json': { suffix: 'resource_access_token', subject: '25', source: GROUP_URL },
  'vulnerability.json': { suffix: 'vulnerability', subject: '1', source: GROUP_URL },
  'system-project_create.json': { suffix: 'system', subject: 'project_create', source: GROUP_URL },
};
