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
 * An HTTP error at one root moves on to the next; a network error is thrown (retry later).
 */
export async function locateTarget(
  kind: 'project' | 'group',
  list: readonly Candidate[],
  apiFor: (host: string) => GitlabApi,
): Promise<HookTarget> {
  const misses: string[] = [];
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
      if (status === undefined) throw error;
      misses.push(`${host}: HTTP ${status}`);
    }
  }
  throw new Error(`GitLab ${kind} not found (${misses.join('; ')})`);
}

function trimSlash(href: string): string {
  return href.replace(/\/+$/, '');
}
