import { Octokit } from '@octokit/rest';
import type { Logger, Metrics } from '@tributary/core';
import type { GitHubConfig, WebhookManagement } from './config.ts';
import { hookApi, type HookApi } from './hook-api.ts';
import { syncHook, type DesiredHook } from './hook-sync.ts';

export interface ManagedHook {
  readonly api: HookApi;
  readonly hookId: number;
}

/**
 * What eventing-github's controller does for a GitHubSource, done by the adapter at startup since
 * Tributary has no controller: one hook per repository or organization in GITHUB_OWNER_REPO,
 * created or corrected through the GitHub REST API, optionally deleted on exit. A failure is logged
 * with what to check and counted; it never stops intake (a hook set up by hand keeps working).
 */
export class WebhookManager {
  readonly #management: WebhookManagement;
  readonly #desired: DesiredHook;
  readonly #logger: Logger;
  readonly #octokit: Octokit;
  readonly #outcomes: ReturnType<Metrics['counter']>;

  constructor(config: GitHubConfig, management: WebhookManagement, logger: Logger, metrics: Metrics) {
    this.#management = management;
    this.#logger = logger;
    this.#desired = {
      url: management.url,
      events: management.events,
      secret: config.secrets[0],
      rotatingSecret: config.rotatingSecret,
    };
    this.#octokit = new Octokit({
      auth: management.token,
      baseUrl: management.apiUrl,
      userAgent: 'tributary-github',
      // Octokit logs every request (info) and every failed one (error); our own lines say what failed
      // and why, so its lines are debug detail. Its warnings (deprecations) stay warnings.
      log: {
        debug: (message: string) => logger.debug(message),
        info: (message: string) => logger.debug(message),
        warn: (message: string) => logger.warn(message),
        error: (message: string) => logger.debug(message),
      },
    });
    this.#outcomes = metrics.counter(
      'tributary_github_webhook_operations_total',
      'Webhook management results.',
      ['operation', 'outcome'],
    );
  }

  /** Syncs every target; resolves with the hooks that now exist (for deletion on exit). */
  async syncAll(signal?: AbortSignal): Promise<ManagedHook[]> {
    const results = await Promise.all(
      this.#management.targets.map((target) => this.#sync(hookApi(this.#octokit, target), signal)),
    );
    return results.filter((hook): hook is ManagedHook => hook !== undefined);
  }

  async deleteAll(hooks: readonly ManagedHook[], signal?: AbortSignal): Promise<void> {
    await Promise.all(
      hooks.map(async ({ api, hookId }) => {
        try {
          await api.remove(hookId, signal);
          this.#outcomes.labels('delete', 'deleted').inc();
          this.#logger.info({ target: api.name, hookId }, `deleted the webhook on ${api.name}`);
        } catch (error) {
          this.#outcomes.labels('delete', 'failed').inc();
          this.#logger.error(
            { target: api.name, hookId, status: statusOf(error) },
            `could not delete the webhook on ${api.name}: ${explain(error, this.#management.apiUrl)}`,
          );
        }
      }),
    );
  }

  async #sync(api: HookApi, signal?: AbortSignal): Promise<ManagedHook | undefined> {
    try {
      const result = await syncHook(api, this.#desired, signal);
      this.#outcomes.labels('sync', result.outcome).inc();
      this.#logger.info(
        { target: api.name, hookId: result.hookId, outcome: result.outcome, differences: result.differences },
        `webhook on ${api.name} ${result.outcome}`,
      );
      if (result.duplicates.length > 0) {
        this.#logger.warn(
          { target: api.name, duplicates: result.duplicates },
          `${api.name} has more hooks with the same URL; events may arrive twice`,
        );
      }
      return { api, hookId: result.hookId };
    } catch (error) {
      this.#outcomes.labels('sync', 'failed').inc();
      this.#logger.error(
        { target: api.name, status: statusOf(error), apiUrl: this.#management.apiUrl },
        `webhook management failed for ${api.name}: ${explain(error, this.#management.apiUrl)}; intake keeps running`,
      );
      return undefined;
    }
  }
}

/** The HTTP status GitHub answered; undefined when no answer came (Octokit reports those as 500). */
function statusOf(error: unknown): number | undefined {
  const { status, response } = error as { status?: unknown; response?: unknown };
  return response !== undefined && typeof status === 'number' ? status : undefined;
}

const HINTS: Readonly<Record<number, string>> = {
  401: 'GITHUB_ACCESS_TOKEN is not valid',
  403: 'the token may not administer webhooks (classic: admin:repo_hook / admin:org_hook; fine-grained: "Webhooks" read and write)',
  404: 'the repository or organization does not exist or the token cannot see it',
  422: 'GitHub refused the hook settings (is GITHUB_WEBHOOK_URL a public http(s) URL?)',
};

function explain(error: unknown, apiUrl: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = statusOf(error);
  if (status === undefined) return `cannot reach the GitHub API at ${apiUrl} (GITHUB_API_URL): ${message}`;
  const hint = HINTS[status];
  return `GitHub answered ${status}: ${message}${hint === undefined ? '' : ` (${hint})`}`;
}
