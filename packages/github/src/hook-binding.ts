import type { HookBinding } from '@tributary/core';
import type { WebhookManagement } from './config.ts';
import { hookDifferences, settingsFor, type DesiredHook } from './desired-hook.ts';
import type { Hook, HookApi } from './hook-api.ts';

/** One repository's or organization's hooks, for core's reconcile loop and removal. */
export function githubHookBinding(
  api: HookApi,
  desired: DesiredHook,
  management: WebhookManagement,
): HookBinding<Hook> {
  // A rotation rewrites the hook once per process, not on every resync.
  let rotated = false;
  return {
    target: api.name,
    list: (signal) => api.list(signal),
    create: async (signal) => {
      const hook = await api.create(settingsFor(desired, '0'), signal);
      rotated = true;
      return hook;
    },
    update: async (hook, signal) => {
      await api.update(hook.id, settingsFor(desired, String(hook.config.insecure_ssl ?? '0')), signal);
      rotated = true;
    },
    remove: (hook, signal) => api.remove(hook.id, signal),
    idOf: (hook) => hook.id,
    urlOf: (hook) => hook.config.url,
    differences: (hook) =>
      hookDifferences(hook, { ...desired, rotatingSecret: desired.rotatingSecret && !rotated }),
    statusOf,
    explain: (error) => explain(error, management),
  };
}

/** The HTTP status GitHub answered; undefined when no answer came (Octokit reports those as 500). */
export function statusOf(error: unknown): number | undefined {
  const { status, response } = error as { status?: unknown; response?: unknown };
  return response !== undefined && typeof status === 'number' ? status : undefined;
}

function hints(management: WebhookManagement): Readonly<Record<number, string>> {
  const app = management.auth.kind === 'app';
  return {
    401: app
      ? 'GitHub refused the App credentials: check GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID'
      : 'GITHUB_ACCESS_TOKEN is not valid',
    403: app
      ? 'the App installation may not administer webhooks (permissions: "Webhooks" read and write for repository hooks, "Organization webhooks" for org hooks)'
      : 'the token may not administer webhooks (classic: admin:repo_hook / admin:org_hook; fine-grained: "Webhooks" read and write)',
    404: app
      ? 'the repository or organization does not exist or the App is not installed on it'
      : 'the repository or organization does not exist or the token cannot see it',
    422: 'GitHub refused the hook settings (is GITHUB_WEBHOOK_URL a public http(s) URL?)',
  };
}

function explain(error: unknown, management: WebhookManagement): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = statusOf(error);
  if (status === undefined)
    return `cannot reach the GitHub API at ${management.apiUrl} (GITHUB_API_URL): ${message}`;
  const hint = hints(management)[status];
  return `GitHub answered ${status}: ${message}${hint === undefined ? '' : ` (${hint})`}`;
}
