import { apiStatus, type GitlabApi } from './gitlab-api.ts';

export interface HookTarget {
  readonly kind: 'project' | 'group';
  /** Instance root the API lives under: `https://host` or `https://host/gitlab`. */
  readonly host: string;
  readonly id: number;
  /** `group/sub/project` or `group/sub`. */
  readonly path: string;
}

export interface Candidate {
  readonly host: string;
  readonly path: string;
}

/**
 * Where the instance root may end and the project or group path begin. A project URL on a
 * self-managed instance under a path prefix (`https://host/gitlab/group/sub/project`) cannot be
 * split by looking at it, so each split is tried, shortest root first (most instances live at
 * the origin). GITLAB_BASE_URL names the root and leaves one candidate.
 */
export function candidates(kind: 'project' | 'group', url: URL, baseUrl: URL | undefined): Candidate[] {
  const segments = pathSegments(url);
  if (baseUrl !== undefined) {
    const skip = pathSegments(baseUrl).length;
    return [{ host: trimSlash(baseUrl.href), path: segments.slice(skip).join('/') }];
  }
  const minimum = kind === 'project' ? 2 : 1;
  const found: Candidate[] = [];
  for (let split = 0; split <= segments.length - minimum; split++) {
    const prefix = segments.slice(0, split).map(encodeURIComponent).join('/');
    found.push({
      host: prefix === '' ? url.origin : `${url.origin}/${prefix}`,
      path: segments.slice(split).join('/'),
    });
  }
  return found;
}

/** Path segments of a project or group URL, without `/-/…` views and a trailing `.git`. */
export function pathSegments(url: URL): string[] {
  const path = url.pathname.split('/-/')[0] ?? '';
  return path
    .replace(/\.git$/, '')
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment));
}

/**
 * Finds the project or group through `GET /projects/:id` or `/groups/:id` at each candidate root.
 * A 4xx at one root moves on to the next; a network error, 5xx or 429 is thrown (retry later).
 */
export async function locateTarget(
  kind: 'project' | 'group',
  list: readonly Candidate[],
  apiFor: (host: string) => GitlabApi,
): Promise<HookTarget> {
  const misses: string[] = [];
  const statuses: number[] = [];
  for (const { host, path } of list) {
    try {
      const found = await apiFor(host).show(path);
      const fullPath = kind === 'project' ? found['path_with_namespace'] : found['full_path'];
      if (
        typeof found['id'] === 'number' &&
        typeof fullPath === 'string' &&
        fullPath.toLowerCase() === path.toLowerCase()
      ) {
        return { kind, host, id: found['id'], path: fullPath };
      }
      misses.push(`${host}: not a GitLab ${kind} answer`);
    } catch (error) {
      const status = apiStatus(error);
      // No answer, or an instance that is down or throttling (5xx, 429): retry later, do not
      // take it for "not under this root".
      if (status === undefined || status >= 500 || status === 429) throw error;
      misses.push(`${host}: HTTP ${status}`);
      statuses.push(status);
    }
  }
  throw new TargetNotFoundError(`GitLab ${kind} not found (${misses.join('; ')})`, statuses);
}

/**
 * No candidate root knows the project or group. `status` is 404 only when every root said so
 * (the target is gone); a 401 or 403 anywhere means the token, not the target, is the problem.
 */
export class TargetNotFoundError extends Error {
  readonly status: number | undefined;

  constructor(message: string, statuses: readonly number[]) {
    super(message);
    this.name = 'TargetNotFoundError';
    this.status = statuses.find((status) => status !== 404) ?? (statuses.length > 0 ? 404 : undefined);
  }
}

function trimSlash(href: string): string {
  return href.replace(/\/+$/, '');
}
