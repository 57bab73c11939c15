import type { HookBinding } from '@tributary/core';
import type { HookConfig } from '../config.ts';
import { hookDifferences, hookRequestOptions, type DesiredHook } from './desired-hook.ts';
import { apiStatus, type GitlabApiFactory, type HookRecord, type HooksApi } from './gitlab-api.ts';
import { candidates, locateTarget, TargetNotFoundError, type HookTarget } from './locate-target.ts';

/**
 * The hooks of the configured project or group, for core's reconcile loop and removal. The target
 * is found through the API on first use (and again after a failure), so an unreachable instance at
 * start-up is retried like any other failed call.
 */
export function gitlabHookBinding(
  hook: HookConfig,
  desired: DesiredHook,
  factory: GitlabApiFactory,
): HookBinding<HookRecord> {
  const { kind, url } = hook.target;
  let located: HookTarget | undefined;
  const hooksOf = async (): Promise<{ api: HooksApi; id: number }> => {
    located ??= await locateTarget(kind, candidates(kind, url, hook.baseUrl), (host) =>
      factory.for(kind, host),
    );
    return { api: factory.for(located.kind, located.host).hooks, id: located.id };
  };
  return {
    target: `${kind} ${url.href}`,
    list: async () => {
      const { api, id } = await hooksOf();
      return api.all(id);
    },
    create: async () => {
      const { api, id } = await hooksOf();
      return api.add(id, desired.url, hookRequestOptions(desired));
    },
    update: async (record) => {
      const { api, id } = await hooksOf();
      await api.edit(id, record.id, desired.url, hookRequestOptions(desired));
    },
    remove: async (record) => {
      const { api, id } = await hooksOf();
      await api.remove(id, record.id);
    },
    idOf: (record) => record.id,
    urlOf: (record) => record.url,
    differences: (record) => hookDifferences(record, desired),
    statusOf,
    explain: (error) => explain(error, hook),
  };
}

function statusOf(error: unknown): number | undefined {
  return error instanceof TargetNotFoundError ? error.status : apiStatus(error);
}

const HINTS: Readonly<Record<number, string>> = {
  401: 'GITLAB_ACCESS_TOKEN is not valid or has expired',
  403: 'the token may not manage hooks here (it needs the api scope and the Maintainer role, Owner for group hooks)',
  404: 'the project or group does not exist or the token cannot see it (GITLAB_EVENT_SOURCE, GITLAB_GROUP_URL, GITLAB_BASE_URL)',
  422: 'GitLab refused the hook settings (is GITLAB_WEBHOOK_URL a URL GitLab may call?)',
};

/**
 * gitbeaker's errors carry the whole request as `cause`, PRIVATE-TOKEN header included: only the
 * message, the HTTP status and the network error code are ever put in a log line.
 */
function explain(error: unknown, hook: HookConfig): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = statusOf(error);
  if (status === undefined) {
    const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
    const code =
      typeof cause?.code === 'string'
        ? ` (${cause.code}${cause.code.includes('CERT') ? ': set GITLAB_CA_CERTS' : ''})`
        : '';
    return `cannot reach GitLab at ${hook.target.url.origin}: ${message}${code}`;
  }
  const hint = HINTS[status];
  return `GitLab answered ${status}: ${message}${hint === undefined ? '' : ` (${hint})`}`;
}
