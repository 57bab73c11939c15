import { eventKindBySuffix, hookFlagsFor } from '../events.ts';
import { describeToken, descriptionMatchesToken } from './token-fingerprint.ts';

/** The hook this adapter wants on its project or group. */
export interface DesiredHook {
  readonly url: string;
  /** Every hook flag the scope has, on or off (`push_events: true`, ...). */
  readonly flags: Readonly<Record<string, boolean>>;
  readonly sslVerify: boolean;
  readonly token: string | undefined;
}

export interface DesiredHookInput {
  readonly scope: 'project' | 'group';
  readonly webhookUrl: string;
  /** Allowed type suffixes; undefined turns on every flag of the scope. */
  readonly eventTypes: ReadonlySet<string> | undefined;
  readonly sslVerify: boolean;
  readonly secretToken: string | undefined;
}

/**
 * Knative's controller sets only the flags of its 11 webhook names and never deployment or
 * release ones; every flag of the scope is set here, each explicitly on or off.
 */
export function desiredHook(input: DesiredHookInput): DesiredHook {
  const all = hookFlagsFor(input.scope);
  const wanted = new Set(
    input.eventTypes === undefined
      ? all
      : [...input.eventTypes].map((suffix) => eventKindBySuffix(suffix)?.flag),
  );
  return {
    url: input.webhookUrl,
    flags: Object.fromEntries(all.map((flag) => [flag, wanted.has(flag)])),
    sslVerify: input.sslVerify,
    token: input.secretToken,
  };
}

/**
 * What differs between a hook as GitLab returned it and the desired one; empty when it matches.
 * A flag the instance does not report (an older GitLab) cannot differ.
 */
export function hookDifferences(existing: Readonly<Record<string, unknown>>, desired: DesiredHook): string[] {
  const differences = Object.entries(desired.flags)
    .filter(([flag, on]) => flag in existing && existing[flag] !== on)
    .map(([flag]) => flag);
  if (existing['enable_ssl_verification'] !== desired.sslVerify) differences.push('enable_ssl_verification');
  if (!descriptionMatchesToken(existing['description'], desired.token)) differences.push('token');
  return differences;
}

/** Body of the create and edit calls; gitbeaker leaves snake_case keys as they are. */
export function hookRequestOptions(desired: DesiredHook): Record<string, unknown> {
  return {
    ...desired.flags,
    enable_ssl_verification: desired.sslVerify,
    // An empty token clears one set earlier (GITLAB_ALLOW_UNSIGNED without a secret).
    token: desired.token ?? '',
    description: describeToken(desired.token),
  };
}
