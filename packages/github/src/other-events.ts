import type { ExtensionValue } from '@tributary/core';
import { integer, type SubjectAndExtensions } from './knative-events.ts';
import { isObject, textAt, type JsonObject } from './payload-fields.ts';

/**
 * Subjects for events eventing-github does not know (it answers 404 to them). Where the event names
 * one object, the subject is that object's number (for things people see by number) or id, as
 * events.go does for check_run, issues and the like.
 */
const SUBJECT_PATHS: ReadonlyMap<string, readonly (readonly string[])[]> = new Map(
  Object.entries({
    branch_protection_rule: [['rule', 'id']],
    code_scanning_alert: [['alert', 'number']],
    custom_property: [['definition', 'property_name']],
    custom_property_values: [['repository', 'id']],
    dependabot_alert: [['alert', 'number']],
    deploy_key: [['key', 'id']],
    deployment_protection_rule: [['deployment', 'id']],
    deployment_review: [['workflow_run', 'id']],
    discussion_comment: [['comment', 'id']],
    installation_target: [['account', 'login']],
    issue_dependencies: [
      ['blocked_issue', 'number'],
      ['issue', 'number'],
    ],
    marketplace_purchase: [['marketplace_purchase', 'account', 'login']],
    merge_group: [['merge_group', 'head_sha']],
    meta: [['hook_id']],
    pull_request_review_thread: [['pull_request', 'number']],
    repository_advisory: [['repository_advisory', 'ghsa_id']],
    repository_dispatch: [['action']],
    repository_import: [['repository', 'id']],
    secret_scanning_alert: [['alert', 'number']],
    secret_scanning_alert_location: [['alert', 'number']],
    security_and_analysis: [['repository', 'id']],
    sponsorship: [['sponsorship', 'node_id']],
    star: [['repository', 'id']],
    sub_issues: [['sub_issue', 'number']],
    workflow_dispatch: [['workflow']],
  }),
);

/**
 * Subject and extensions for any event outside events.go: the common extensions `owner`, `repository`,
 * `sender`, `action` and `installation`, each only when the payload has it, and a subject from the
 * table above or else the `number`/`id` of the object named like the event (`workflow_run.id`,
 * `discussion.number`, ...).
 */
export function otherEventAttributes(event: string, payload: JsonObject): SubjectAndExtensions {
  const extensions: Record<string, ExtensionValue> = {};
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined) extensions[name] = value;
  };
  put('owner', textAt(payload, 'repository', 'owner', 'login') ?? textAt(payload, 'organization', 'login'));
  put('repository', textAt(payload, 'repository', 'name'));
  put('sender', textAt(payload, 'sender', 'login'));
  put('action', textAt(payload, 'action'));
  const installation = isObject(payload['installation']) ? payload['installation']['id'] : undefined;
  if (typeof installation === 'number' && Number.isInteger(installation))
    extensions['installation'] = integer(installation);
  return { subject: subjectOf(event, payload) ?? '', extensions };
}

function subjectOf(event: string, payload: JsonObject): string | undefined {
  for (const path of SUBJECT_PATHS.get(event) ?? []) {
    const value = textAt(payload, ...path);
    if (value !== undefined) return value;
  }
  return textAt(payload, event, 'number') ?? textAt(payload, event, 'id');
}
