import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixturePath } from '@tributary/testkit';

const apiFixture = (name: string) =>
  JSON.parse(readFileSync(fixturePath('github', 'api', `${name}.json`), 'utf8')) as Record<string, unknown>;

/** A hook as the loopback API stores it; `secret` is the real value, which the API never returns. */
export interface StoredHook {
  id: number;
  name: string;
  active: boolean;
  events: string[];
  config: { url?: string; content_type?: string; insecure_ssl?: string; secret?: string };
}

export interface ApiWrite {
  readonly method: 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body: unknown;
}

export interface GitHubApiServer {
  readonly url: string;
  /** Every create, update and delete, in order. */
  readonly writes: readonly ApiWrite[];
  readonly authorizations: readonly string[];
  /** Installation tokens minted through `POST /app/installations/:id/access_tokens`. */
  readonly mintedTokens: readonly string[];
  /** Answers the next `count` requests (any endpoint) with `status` and GitHub's error body. */
  failNext(count: number, status?: number): void;
  /** Hooks of `repos/<owner>/<repo>` or `orgs/<org>`. */
  hooks(scope: string): readonly StoredHook[];
  seed(scope: string, hook: Omit<StoredHook, 'id'>): StoredHook;
  close(): Promise<void>;
}

export interface GitHubApiServerOptions {
  /** Repositories (`owner/repo`) and organizations (`org`) that exist; others answer 404. */
  readonly scopes: readonly string[];
  /** When set, requests must carry it (`token X` or `Bearer X`), else 401. */
  readonly token?: string;
  readonly pageSize?: number;
  /**
   * A GitHub App: `POST /app/installations/:installationId/access_tokens` with a JWT (RS256, signed
   * by the key whose public half is given, `iss` = the App ID) answers an installation token, which
   * is then the `token` every other request must carry.
   */
  readonly app?: { readonly id: string; readonly publicKey: string | KeyObject; readonly installationId: number };
}

const HOOKS = /^(?:\/api\/v3)?\/(repos\/[^/]+\/[^/]+|orgs\/[^/]+)\/hooks(?:\/(\d+))?$/;

/**
 * Enough of the GitHub REST API's webhook endpoints (list with Link pagination, create, update,
 * delete, for repositories and organizations, also under GitHub Enterprise's `/api/v3`) to drive
 * the real Octokit client. Responses mask secrets as GitHub does; writes are recorded.
 */
export async function startGitHubApiServer(options: GitHubApiServerOptions): Promise<GitHubApiServer> {
  const store = new Map<string, StoredHook[]>(
    options.scopes.map((scope) => [scope.includes('/') ? `repos/${scope}` : `orgs/${scope}`, []]),
  );
  const writes: ApiWrite[] = [];
  const authorizations: string[] = [];
  const mintedTokens: string[] = [];
  const failing = { count: 0, status: 502 };
  let nextId = 1000;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      handle(request, response, text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>));
    });
  });

  function handle(
    request: IncomingMessage,
    response: ServerResponse,
    body: Record<string, unknown> | undefined,
  ) {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    const authorization = request.headers.authorization ?? '';
    authorizations.push(authorization);
    if (failing.count > 0) {
      failing.count--;
      return send(failing.status, { message: 'Server Error' });
    }
    const minting = /^(?:\/api\/v3)?\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    if (minting && request.method === 'POST') return mint(Number(minting[1]), authorization, send);
    if (options.token !== undefined) {
      const [scheme = '', value] = authorization.split(' ');
      if (!/^(token|bearer)$/i.test(scheme) || value !== options.token)
        return send(401, { message: 'Bad credentials' });
    }
    const match = HOOKS.exec(url.pathname);
    const hooks = match ? store.get(match[1] as string) : undefined;
    if (!match || !hooks)
      return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    const id = match[2] === undefined ? undefined : Number(match[2]);
    const method = request.method ?? 'GET';
    if (id === undefined && method === 'GET') return list(hooks, url, send);
    if (id === undefined && method === 'POST') {
      const config = (body?.['config'] ?? {}) as StoredHook['config'];
      if (typeof config.url !== 'string') return send(422, { message: 'Validation Failed' });
      writes.push({ method, path: url.pathname, body });
      const hook = {
        id: nextId++,
        name: 'web',
        active: (body?.['active'] as boolean) ?? true,
        events: (body?.['events'] as string[]) ?? ['push'],
        config,
      };
      hooks.push(hook);
      return send(201, view(hook));
    }
    const index = hooks.findIndex((hook) => hook.id === id);
    if (index === -1) return send(404, { message: 'Not Found' });
    const hook = hooks[index] as StoredHook;
    if (method === 'PATCH') {
      writes.push({ method, path: url.pathname, body });
      // GitHub replaces the config as a whole: a PATCH without `secret` removes it.
      if (body?.['config'] !== undefined) hook.config = body['config'] as StoredHook['config'];
      if (body?.['events'] !== undefined) hook.events = body['events'] as string[];
      if (body?.['active'] !== undefined) hook.active = body['active'] as boolean;
      return send(200, view(hook));
    }
    if (method === 'DELETE') {
      writes.push({ method, path: url.pathname, body });
      hooks.splice(index, 1);
      return send(204);
    }
    if (method === 'GET') return send(200, view(hook));
    return send(404, { message: 'Not Found' });
  }

  /** GitHub checks the JWT's signature, `iss` and lifetime (at most 10 minutes), then mints a token. */
  function mint(installationId: number, authorization: string, send: (status: number, payload?: unknown) => void) {
    const app = options.app;
    if (app === undefined || installationId !== app.installationId)
      return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    const [scheme, jwt = ''] = authorization.split(' ');
    const [header = '', payload = '', signature = ''] = jwt.split('.');
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      typeof app.publicKey === 'string' ? createPublicKey(app.publicKey) : app.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8') || '{}') as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    const valid =
      scheme?.toLowerCase() === 'bearer' &&
      signed &&
      String(claims['iss']) === app.id &&
      typeof claims['exp'] === 'number' &&
      typeof claims['iat'] === 'number' &&
      claims['exp'] > now &&
      claims['exp'] - claims['iat'] <= 11 * 60;
    if (!valid)
      return send(401, { message: 'A JSON web token could not be decoded', documentation_url: 'https://docs.github.com/rest' });
    const answer = apiFixture('installation-access-token');
    mintedTokens.push(String(answer['token']));
    return send(201, { ...answer, expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z') });
  }

  function list(
    hooks: StoredHook[],
    url: URL,
    send: (status: number, payload: unknown, headers?: Record<string, string>) => void,
  ) {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), options.pageSize ?? 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const items = hooks.slice((page - 1) * perPage, page * perPage).map(view);
    const headers: Record<string, string> = {};
    if (page * perPage < hooks.length) {
      const next = new URL(url.href.replace('http://localhost', address));
      next.searchParams.set('page', String(page + 1));
      headers['link'] = `<${next.href}>; rel="next"`;
    }
    send(200, items, headers);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: address,
    writes,
    authorizations,
    mintedTokens,
    failNext(count, status = 502) {
      failing.count = count;
      failing.status = status;
    },
    hooks: (scope) => store.get(scope) ?? [],
    seed(scope, hook) {
      const stored = { id: nextId++, ...hook };
      const hooks = store.get(scope);
      if (!hooks) throw new Error(`unknown scope ${scope}`);
      hooks.push(stored);
      return stored;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const WEBHOOK = apiFixture('repository-webhook');

/** A stored hook as GitHub answers it: the documented shape, the secret masked. */
function view(hook: StoredHook) {
  const { secret, ...config } = hook.config;
  return {
    ...WEBHOOK,
    id: hook.id,
    name: hook.name,
    active: hook.active,
    events: hook.events,
    config: { content_type: 'form', insecure_ssl: '0', ...config, ...(secret ? { secret: '********' } : {}) },
  };
}
