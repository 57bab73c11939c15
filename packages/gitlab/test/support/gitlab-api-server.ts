import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A loopback GitLab REST API (v4) for the hooks endpoints, written from GitLab's API docs
 * (project_webhooks.md, group_webhooks.md, rest/_index.md pagination) so the real @gitbeaker/rest
 * client can be tested against it: `PRIVATE-TOKEN` auth, projects and groups addressed by id or
 * URL-encoded path, offset pagination headers, hook tokens stored but never returned. It can live
 * under a path prefix (a self-managed instance at `https://host/gitlab`) and speak TLS.
 */
export interface GitlabApiServerOptions {
  readonly token: string;
  /** `''` (default) or e.g. `/gitlab`. */
  readonly pathPrefix?: string;
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly projects?: readonly string[];
  readonly groups?: readonly string[];
}

export type Kind = 'projects' | 'groups';

export interface StoredHook {
  readonly resource: Kind;
  readonly resourceId: number;
  /** The secret token GitLab keeps and never shows. */
  token: string;
  fields: Record<string, unknown> & { id: number; url: string };
}

export interface GitlabApiServer {
  /** Instance root, e.g. `http://127.0.0.1:41234/gitlab`. */
  readonly url: string;
  readonly requests: readonly { readonly method: string; readonly path: string; readonly query: string }[];
  /** POST, PUT and DELETE calls to hooks endpoints so far. */
  writes(): number;
  hooks(kind: Kind, path: string): StoredHook[];
  seedHook(
    kind: Kind,
    path: string,
    fields: Record<string, unknown> & { url: string },
    token?: string,
  ): StoredHook;
  /**
   * Answers the next `count` requests with GitLab's `500 Internal Server Error` body. (A 502 or
   * 429 would be retried inside @gitbeaker/rest already, never reaching the adapter.)
   */
  failNext(count: number): void;
  /** Deletes hooks behind the adapter's back (someone removed them in the UI). */
  dropHooks(kind: Kind, path: string): void;
  close(): Promise<void>;
}

const PROJECT_FLAGS = [
  'push_events',
  'tag_push_events',
  'issues_events',
  'confidential_issues_events',
  'merge_requests_events',
  'note_events',
  'confidential_note_events',
  'job_events',
  'pipeline_events',
  'wiki_page_events',
  'deployment_events',
  'releases_events',
  'feature_flag_events',
  'emoji_events',
  'resource_access_token_events',
  'vulnerability_events',
  'milestone_events',
];
const GROUP_FLAGS = [...PROJECT_FLAGS, 'member_events', 'project_events', 'subgroup_events'];

interface Resource {
  readonly id: number;
  readonly path: string;
}

export async function startGitlabApiServer(options: GitlabApiServerOptions): Promise<GitlabApiServer> {
  const prefix = options.pathPrefix ?? '';
  const resources: Record<Kind, Resource[]> = {
    projects: (options.projects ?? []).map((path, i) => ({ id: 100 + i, path })),
    groups: (options.groups ?? []).map((path, i) => ({ id: 500 + i, path })),
  };
  const hooks: StoredHook[] = [];
  const requests: { method: string; path: string; query: string }[] = [];
  let nextHookId = 1;
  let writes = 0;
  let failing = 0;
  let baseUrl = '';

  const find = (kind: Kind, idOrPath: string) => {
    const key = decodeURIComponent(idOrPath);
    return resources[kind].find((r) => String(r.id) === key || r.path.toLowerCase() === key.toLowerCase());
  };

  const createHook = (
    kind: Kind,
    resource: Resource,
    body: Record<string, unknown>,
    token = '',
  ): StoredHook => {
    const flags = kind === 'projects' ? PROJECT_FLAGS : GROUP_FLAGS;
    const fields: StoredHook['fields'] = {
      id: nextHookId++,
      url: String(body['url']),
      name: null,
      description: null,
      created_at: new Date().toISOString(),
      [kind === 'projects' ? 'project_id' : 'group_id']: resource.id,
      ...Object.fromEntries(flags.map((flag) => [flag, flag === 'push_events'])),
      repository_update_events: false,
      enable_ssl_verification: true,
      alert_status: 'executable',
      disabled_until: null,
      url_variables: [],
      push_events_branch_filter: null,
      branch_filter_strategy: 'all_branches',
    };
    const hook: StoredHook = { resource: kind, resourceId: resource.id, token, fields };
    applyFields(hook, body);
    hooks.push(hook);
    return hook;
  };

  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', baseUrl);
      requests.push({ method: request.method ?? 'GET', path: url.pathname, query: url.search });
      const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        const text = body === undefined ? '' : JSON.stringify(body);
        response
          .writeHead(status, {
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          })
          .end(text);
      };
      if (failing > 0) {
        failing--;
        return response
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: '500 Internal Server Error' }));
      }
      const api = `${prefix}/api/v4/`;
      // A reverse proxy in front of a prefixed instance answers other paths with its own page.
      if (!url.pathname.startsWith(api))
        return response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
      if (request.headers['private-token'] !== options.token)
        return reply(401, { message: '401 Unauthorized' });
      // Split before decoding: `group%2Fsub%2Fproject` is one segment.
      const [kind, id, sub, hookId, ...rest] = url.pathname.slice(api.length).split('/');
      if ((kind !== 'projects' && kind !== 'groups') || id === undefined || rest.length > 0)
        return reply(404, { error: '404 Not Found' });
      const resource = find(kind, id);
      if (!resource)
        return reply(404, { message: `404 ${kind === 'projects' ? 'Project' : 'Group'} Not Found` });
      if (sub === undefined) return reply(200, describe(kind, resource, baseUrl));
      if (sub !== 'hooks') return reply(404, { error: '404 Not Found' });
      const body = parseBody(chunks);
      const mine = hooks.filter((h) => h.resource === kind && h.resourceId === resource.id);
      const method = request.method ?? 'GET';
      if (hookId === undefined) {
        if (method === 'GET')
          return paginate(
            url,
            mine.map((h) => h.fields),
            reply,
          );
        if (method !== 'POST') return reply(405, { message: '405 Method Not Allowed' });
        if (typeof body['url'] !== 'string') return reply(400, { error: 'url is missing' });
        writes++;
        return reply(
          201,
          createHook(kind, resource, body, typeof body['token'] === 'string' ? body['token'] : '').fields,
        );
      }
      const hook = mine.find((h) => String(h.fields.id) === hookId);
      if (!hook) return reply(404, { message: '404 Not found' });
      if (method === 'GET') return reply(200, hook.fields);
      if (method === 'PUT') {
        writes++;
        applyFields(hook, body);
        return reply(200, hook.fields);
      }
      if (method === 'DELETE') {
        writes++;
        hooks.splice(hooks.indexOf(hook), 1);
        return reply(204);
      }
      return reply(405, { message: '405 Method Not Allowed' });
    });
  };

  const server: Server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return {
    url: `${baseUrl}${prefix}`,
    requests,
    writes: () => writes,
    hooks: (kind, path) => {
      const resource = resources[kind].find((r) => r.path === path);
      return hooks.filter((h) => h.resource === kind && h.resourceId === resource?.id);
    },
    seedHook: (kind, path, fields, token = '') => {
      const resource = resources[kind].find((r) => r.path === path);
      if (!resource) throw new Error(`no ${kind} ${path}`);
      return createHook(kind, resource, fields, token);
    },
    failNext: (count) => {
      failing = count;
    },
    dropHooks: (kind, path) => {
      const resource = resources[kind].find((r) => r.path === path);
      for (const hook of hooks.filter((h) => h.resource === kind && h.resourceId === resource?.id))
        hooks.splice(hooks.indexOf(hook), 1);
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };

  function describe(kind: Kind, resource: Resource, origin: string) {
    const name = resource.path.split('/').pop();
    const webUrl = `${origin}${prefix}/${resource.path}`;
    return kind === 'projects'
      ? { id: resource.id, name, path: name, path_with_namespace: resource.path, web_url: webUrl }
      : { id: resource.id, name, path: name, full_path: resource.path, web_url: webUrl };
  }
}

/** Fields the hooks API accepts; `token` is kept apart because GitLab never returns it. */
function applyFields(hook: StoredHook, body: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(body)) {
    if (key === 'token') hook.token = typeof value === 'string' ? value : '';
    else if (key !== 'id' && (key in hook.fields || key === 'url')) hook.fields[key] = value;
  }
}

function parseBody(chunks: Buffer[]): Record<string, unknown> {
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

/** GitLab's offset pagination: `page`/`per_page` (default 20, at most 100), `X-*` and `Link` headers. */
function paginate(
  url: URL,
  items: unknown[],
  reply: (status: number, body: unknown, headers: Record<string, string>) => void,
): void {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 20) || 20));
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const page = Math.min(totalPages, Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1));
  const link = (n: number) => {
    const target = new URL(url);
    target.searchParams.set('page', String(n));
    target.searchParams.set('per_page', String(perPage));
    return `<${target.href}>`;
  };
  const links = [
    ...(page > 1 ? [`${link(page - 1)}; rel="prev"`] : []),
    ...(page < totalPages ? [`${link(page + 1)}; rel="next"`] : []),
    `${link(1)}; rel="first"`,
    `${link(totalPages)}; rel="last"`,
  ];
  reply(200, items.slice((page - 1) * perPage, page * perPage), {
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-total': String(items.length),
    'x-total-pages': String(totalPages),
    'x-next-page': page < totalPages ? String(page + 1) : '',
    'x-prev-page': page > 1 ? String(page - 1) : '',
    link: links.join(', '),
  });
}
