import type { Octokit } from '@octokit/rest';
import type { HookTarget } from './config.ts';

/** The parts of a GitHub webhook this adapter reads (REST "repository webhook" / "org webhook"). */
export interface Hook {
  readonly id: number;
  readonly active: boolean;
  readonly events: readonly string[];
  readonly config: {
    readonly url?: string | undefined;
    readonly content_type?: string | undefined;
    /** GitHub never returns a secret: a hook with one shows `********`. */
    readonly secret?: string | undefined;
    readonly insecure_ssl?: string | number | undefined;
  };
}

export interface HookSettings {
  readonly config: { url: string; content_type: 'json'; secret?: string; insecure_ssl: string };
  readonly events: string[];
  readonly active: true;
}

/** List/create/update/delete hooks on one repository or organization, through the Octokit REST client. */
export interface HookApi {
  readonly name: string;
  list(signal?: AbortSignal): Promise<readonly Hook[]>;
  create(settings: HookSettings, signal?: AbortSignal): Promise<Hook>;
  update(id: number, settings: HookSettings, signal?: AbortSignal): Promise<Hook>;
  remove(id: number, signal?: AbortSignal): Promise<void>;
}

export function hookApi(octokit: Octokit, target: HookTarget): HookApi {
  const request = (signal?: AbortSignal) => ({ request: { signal } });
  if (target.kind === 'org') {
    const { org } = target;
    return {
      name: `org ${org}`,
      list: (signal) =>
        octokit.paginate(octokit.rest.orgs.listWebhooks, { org, per_page: 100, ...request(signal) }),
      create: async (settings, signal) =>
        (await octokit.rest.orgs.createWebhook({ org, name: 'web', ...settings, ...request(signal) })).data,
      update: async (hook_id, settings, signal) =>
        (await octokit.rest.orgs.updateWebhook({ org, hook_id, ...settings, ...request(signal) })).data,
      remove: async (hook_id, signal) => {
        await octokit.rest.orgs.deleteWebhook({ org, hook_id, ...request(signal) });
      },
    };
  }
  const { owner, repo } = target;
  return {
    name: `repository ${owner}/${repo}`,
    list: (signal) =>
      octokit.paginate(octokit.rest.repos.listWebhooks, { owner, repo, per_page: 100, ...request(signal) }),
    create: async (settings, signal) =>
      (await octokit.rest.repos.createWebhook({ owner, repo, name: 'web', ...settings, ...request(signal) }))
        .data,
    update: async (hook_id, settings, signal) =>
      (await octokit.rest.repos.updateWebhook({ owner, repo, hook_id, ...settings, ...request(signal) }))
        .data,
    remove: async (hook_id, signal) => {
      await octokit.rest.repos.deleteWebhook({ owner, repo, hook_id, ...request(signal) });
    },
  };
}
