import type { Agent as HttpAgent } from 'node:http';
import { rootCertificates } from 'node:tls';
import { GitbeakerRequestError, GroupHooks, Groups, ProjectHooks, Projects } from '@gitbeaker/rest';
import { Agent, Dispatcher1Wrapper } from 'undici';

/** A hook as the hooks API returns it (snake_case, as GitLab sends it). */
export type HookRecord = Readonly<Record<string, unknown>> & { readonly id: number; readonly url: string };

/** The hooks endpoints of one project or group (`/projects/:id/hooks` or `/groups/:id/hooks`). */
export interface HooksApi {
  all(resourceId: number): Promise<HookRecord[]>;
  add(resourceId: number, url: string, options: Record<string, unknown>): Promise<HookRecord>;
  edit(
    resourceId: number,
    hookId: number,
    url: string,
    options: Record<string, unknown>,
  ): Promise<HookRecord>;
  remove(resourceId: number, hookId: number): Promise<void>;
}

export interface GitlabApi {
  /** `GET /projects/:id` or `GET /groups/:id` by URL-encoded path. */
  show(path: string): Promise<Readonly<Record<string, unknown>>>;
  readonly hooks: HooksApi;
}

export interface GitlabApiOptions {
  readonly accessToken: string;
  readonly caCerts: string | undefined;
}

/**
 * Builds @gitbeaker/rest resources for one instance root (`https://host` or `https://host/gitlab`).
 * gitbeaker calls Node's global fetch with `agent` as its dispatcher; a private CA therefore needs
 * an undici Agent, wrapped for the dispatcher API of Node's bundled undici (eventing-gitlab #171).
 */
export class GitlabApiFactory {
  readonly #options: GitlabApiOptions;
  readonly #dispatcher: Dispatcher1Wrapper | undefined;

  constructor(options: GitlabApiOptions) {
    this.#options = options;
    this.#dispatcher = options.caCerts
      ? new Dispatcher1Wrapper(new Agent({ connect: { ca: [...rootCertificates, options.caCerts] } }))
      : undefined;
  }

  for(kind: 'project' | 'group', host: string): GitlabApi {
    const resource = {
      host,
      token: this.#options.accessToken,
      queryTimeout: 30_000,
      // Typed as http.Agent by gitbeaker, passed to fetch as `dispatcher`.
      ...(this.#dispatcher ? { agent: this.#dispatcher as unknown as HttpAgent } : {}),
    };
    const hooks = kind === 'project' ? new ProjectHooks(resource) : new GroupHooks(resource);
    const lookup = kind === 'project' ? new Projects(resource) : new Groups(resource);
    return {
      show: async (path) => (await lookup.show(path)) as Record<string, unknown>,
      hooks: {
        all: async (id) => (await hooks.all(id, { perPage: 100 })) as unknown as HookRecord[],
        add: async (id, url, options) => (await hooks.add(id, url, options)) as unknown as HookRecord,
        edit: async (id, hookId, url, options) =>
          (await hooks.edit(id, hookId, url, options)) as unknown as HookRecord,
        remove: async (id, hookId) => {
          await hooks.remove(id, hookId);
        },
      },
    };
  }

  async close(): Promise<void> {
    await this.#dispatcher?.close();
  }
}

/** The HTTP status of a failed GitLab API call, undefined for network errors and timeouts. */
export function apiStatus(error: unknown): number | undefined {
  if (!(error instanceof GitbeakerRequestError)) return undefined;
  const response = (error.cause as { response?: { status?: unknown } } | undefined)?.response;
  return typeof response?.status === 'number' ? response.status : undefined;
}
