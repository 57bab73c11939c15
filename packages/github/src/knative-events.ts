import type { ExtensionValue } from '@tributary/core';
import { boolAt, intAt, pointerAt, stringAt, stringPointerAt, type JsonObject } from './payload-fields.ts';

export interface SubjectAndExtensions {
  /** Before Go's `SetSubject` trimming; empty means no subject. */
  readonly subject: string;
  readonly extensions: Readonly<Record<string, ExtensionValue>>;
}

type Mapping = (payload: JsonObject) => SubjectAndExtensions;

/**
 * eventing-github `pkg/common/events.go`, `SubjectAndExtensionsFromGitHubEvent`, event for event:
 * the same subject and the same extensions with the same types (Go int → CloudEvents integer, bool →
 * boolean). Fields the Go code sets unconditionally keep Go's zero value when the payload lacks them
 * (push `installation` 0, pull_request `label` ""), so Triggers written against eventing-github match.
 * Two deliberate differences, both where eventing-github fails the whole event instead:
 * - a nil `*string` (release `name: null`) is left out (the Go SDK rejects nil and answers 400);
 * - an integer outside CloudEvents' 32-bit range is sent as its decimal string (the Go SDK rejects it).
 */
export const KNATIVE_EVENTS: ReadonlyMap<string, Mapping> = new Map(
  Object.entries({
    check_run: (p) => ({
      subject: id(p, 'check_run', 'id'),
      extensions: { ...repoSender(p), action: action(p) },
    }),
    check_suite: (p) => ({
      subject: id(p, 'check_suite', 'id'),
      extensions: { ...repoSender(p), action: action(p) },
    }),
    // https://github.com/o/r/commit/<sha>#commitcomment-<id> → <sha>#commitcomment-<id>
    commit_comment: (p) => ({
      subject: lastPathPortion(stringAt(p, 'comment', 'html_url')),
      extensions: { ...repoSender(p), action: action(p) },
    }),
    create: (p) => ({
      subject: stringAt(p, 'ref_type'),
      extensions: { ...repoSender(p), ref: stringAt(p, 'ref') },
    }),
    delete: (p) => ({
      subject: stringAt(p, 'ref_type'),
      extensions: { ...repoSender(p), ref: stringAt(p, 'ref') },
    }),
    deployment: (p) => ({ subject: id(p, 'deployment', 'id'), extensions: repoSender(p) }),
    deployment_status: (p) => ({ subject: id(p, 'deployment', 'id'), extensions: repoSender(p) }),
    fork: (p) => ({ subject: id(p, 'forkee', 'id'), extensions: repoSender(p) }),
    gollum: (p) => ({ subject: gollumPages(p), extensions: repoSender(p) }),
    installation: installation,
    integration_installation: installation,
    installation_repositories: installation,
    integration_installation_repositories: installation,
    // https://github.com/o/r/issues/2#issuecomment-<id> → 2#issuecomment-<id>
    issue_comment: (p) => ({
      subject: lastPathPortion(stringAt(p, 'comment', 'html_url')),
      extensions: { ...repoSender(p), action: action(p) },
    }),
    issues: (p) => {
      const label = pointerAt(p, 'label');
      const assignee = pointerAt(p, 'assignee');
      return {
        subject: id(p, 'issue', 'number'),
        extensions: {
          ...repoSender(p),
          action: action(p),
          ...(label && { label: stringAt(label, 'name') }),
          ...(assignee && { assignee: stringAt(assignee, 'login') }),
        },
      };
    },
    label: (p) => ({
      subject: stringAt(p, 'label', 'name'),
      extensions: { ...repoSender(p), action: action(p), label: stringAt(p, 'label', 'name') },
    }),
    member: (p) => ({ subject: id(p, 'member', 'id'), extensions: { ...repoSender(p), action: action(p) } }),
    membership: (p) => ({
      subject: id(p, 'member', 'id'),
      extensions: {
        owner: orgLogin(p),
        scope: stringAt(p, 'scope'),
        sender: senderLogin(p),
        action: action(p),
      },
    }),
    milestone: (p) => ({
      subject: id(p, 'milestone', 'number'),
      extensions: { ...repoSender(p), action: action(p) },
    }),
    organization: (p) => ({
      subject: action(p),
      extensions: { owner: orgLogin(p), sender: senderLogin(p), action: action(p) },
    }),
    org_block: (p) => ({
      subject: action(p),
      extensions: { owner: orgLogin(p), sender: senderLogin(p), action: action(p) },
    }),
    page_build: (p) => ({ subject: id(p, 'id'), extensions: repoSender(p) }),
    ping: (p) => ({ subject: id(p, 'hook_id'), extensions: repoSender(p) }),
    project_card: (p) => ({ subject: action(p), extensions: { ...repoSender(p), action: action(p) } }),
    project_column: (p) => ({ subject: action(p), extensions: { ...repoSender(p), action: action(p) } }),
    project: (p) => ({ subject: action(p), extensions: { ...repoSender(p), action: action(p) } }),
    public: (p) => ({ subject: id(p, 'repository', 'id'), extensions: repoSender(p) }),
    pull_request: (p) => {
      const assignee = pointerAt(p, 'assignee');
      return {
        subject: id(p, 'pull_request', 'number'),
        extensions: {
          ...repoSender(p),
          installation: installationId(p),
          action: action(p),
          number: integer(intAt(p, 'number')),
          // A value struct in the Go type: "" when the delivery has no label.
          label: stringAt(p, 'label', 'name'),
          ...(assignee && { assignee: stringAt(assignee, 'login') }),
        },
      };
    },
    pull_request_review_comment: (p) => ({
      subject: id(p, 'comment', 'id'),
      extensions: { ...repoSender(p), installation: installationId(p), action: action(p) },
    }),
    pull_request_review: (p) => ({
      subject: id(p, 'review', 'id'),
      extensions: {
        ...repoSender(p),
        installation: installationId(p),
        action: action(p),
        review: stringAt(p, 'review', 'state'),
      },
    }),
    // https://github.com/o/r/compare/a10867b14bb7...000000000000 → a10867b14bb7...000000000000
    push: (p) => ({
      subject: lastPathPortion(stringAt(p, 'compare')),
      extensions: {
        ...repoSender(p),
        installation: installationId(p),
        pusher: stringAt(p, 'pusher', 'name'),
        ref: stringAt(p, 'ref'),
        created: boolAt(p, 'created'),
        deleted: boolAt(p, 'deleted'),
        forced: boolAt(p, 'forced'),
      },
    }),
    release: (p) => {
      const name = stringPointerAt(p, 'release', 'name');
      return {
        subject: stringAt(p, 'release', 'tag_name'),
        extensions: {
          ...repoSender(p),
          installation: installationId(p),
          action: action(p),
          ...(name !== undefined && { release: name }),
        },
      };
    },
    repository: (p) => ({
      subject: id(p, 'repository', 'id'),
      extensions: { ...repoSender(p), action: action(p) },
    }),
    repository_vulnerability_alert: (p) => ({
      subject: id(p, 'alert', 'id'),
      extensions: { action: action(p) },
    }),
    security_advisory: (p) => ({
      subject: stringAt(p, 'security_advisory', 'ghsa_id'),
      extensions: { action: action(p) },
    }),
    status: (p) => ({
      subject: stringAt(p, 'sha'),
      extensions: {
        ...repoSender(p),
        state: stringAt(p, 'state'),
        name: stringAt(p, 'name'),
        context: stringAt(p, 'context'),
      },
    }),
    team: (p) => ({
      subject: id(p, 'team', 'id'),
      extensions: { sender: senderLogin(p), action: action(p) },
    }),
    team_add: (p) => ({ subject: id(p, 'repository', 'id'), extensions: repoSender(p) }),
    watch: (p) => ({
      subject: id(p, 'repository', 'id'),
      extensions: { ...repoSender(p), action: action(p) },
    }),
  } satisfies Record<string, Mapping>),
);

function installation(p: JsonObject): SubjectAndExtensions {
  return {
    subject: id(p, 'installation', 'id'),
    extensions: { installation: installationId(p), sender: senderLogin(p), action: action(p) },
  };
}

const action = (p: JsonObject) => stringAt(p, 'action');
const senderLogin = (p: JsonObject) => stringAt(p, 'sender', 'login');
const orgLogin = (p: JsonObject) => stringAt(p, 'organization', 'login');
const installationId = (p: JsonObject) => integer(intAt(p, 'installation', 'id'));

function repoSender(p: JsonObject): Record<string, ExtensionValue> {
  return {
    owner: stringAt(p, 'repository', 'owner', 'login'),
    repository: stringAt(p, 'repository', 'name'),
    sender: senderLogin(p),
  };
}

/** `strconv.FormatInt` of an int64 field (0 when absent, as Go decodes it). */
function id(p: JsonObject, ...path: readonly string[]): string {
  return String(intAt(p, ...path));
}

function gollumPages(p: JsonObject): string {
  const pages = Array.isArray(p['pages']) ? (p['pages'] as unknown[]) : [];
  return pages.map((page) => stringAt({ page }, 'page', 'page_name')).join(',');
}

/** events.go `lastPathPortion`: everything after the last `/`, or "" when there is none. */
export function lastPathPortion(url: string): string {
  const index = url.lastIndexOf('/');
  return index === -1 ? '' : url.slice(index + 1);
}

/** CloudEvents integers are 32-bit; a larger value goes out as its decimal string. */
export function integer(value: number): number | string {
  return value >= -2_147_483_648 && value <= 2_147_483_647 ? value : String(value);
}
