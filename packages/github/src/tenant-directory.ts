import { HttpError, type Logger } from '@tributary/core';
import type { GitHubRoute } from './intake.ts';
import { sameTenant, tenantOf, type GitHubSourceObject, type Tenant } from './github-source.ts';
import { TenantSecret } from './tenant-secret.ts';

/** Reads one key of a Secret in a namespace through the API. */
export type SecretKeyReader = (namespace: string, ref: Tenant['secretRef']) => Promise<string>;

interface Served {
  readonly tenant: Tenant;
  readonly secret: TenantSecret;
  readonly route: GitHubRoute;
}

/**
 * The GitHubSources being served, by path (eventing-github pkg/mtadapter/router/router.go routes
 * `/<namespace>/<name>` the same way). Adds, changes and deletes from the watch apply at once; a
 * source that cannot be served (no sink yet, no secret reference) is logged and answers 404.
 */
export class TenantDirectory {
  readonly #byPath = new Map<string, Served>();
  readonly #webUrl: string;
  readonly #readSecret: SecretKeyReader;
  readonly #makeRoute: (tenant: Tenant, secret: TenantSecret) => GitHubRoute;
  readonly #secretRereadMs: number;
  readonly #logger: Logger;

  constructor(options: {
    webUrl: string;
    readSecret: SecretKeyReader;
    makeRoute: (tenant: Tenant, secret: TenantSecret) => GitHubRoute;
    secretRereadMs: number;
    logger: Logger;
  }) {
    this.#webUrl = options.webUrl;
    this.#readSecret = options.readSecret;
    this.#makeRoute = options.makeRoute;
    this.#secretRereadMs = options.secretRereadMs;
    this.#logger = options.logger;
  }

  get size(): number {
    return this.#byPath.size;
  }

  /** A source was added or changed; resolves once its secret was read (a failed read is logged). */
  async upsert(object: GitHubSourceObject): Promise<void> {
    const path = `/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    const result = tenantOf(object, this.#webUrl);
    const current = this.#byPath.get(path);
    if (!result.ok) {
      if (current !== undefined) this.#byPath.delete(path);
      this.#logger.warn({ source: path, problem: result.problem }, `GitHubSource not served: it ${result.problem}`);
      return;
    }
    const { tenant } = result;
    if (current !== undefined && sameTenant(current.tenant, tenant)) return;
    const keepSecret = current !== undefined && JSON.stringify(current.tenant.secretRef) === JSON.stringify(tenant.secretRef);
    const secret = keepSecret
      ? current.secret
      : new TenantSecret(() => this.#readSecret(tenant.namespace, tenant.secretRef), this.#secretRereadMs);
    this.#byPath.set(path, { tenant, secret, route: this.#makeRoute(tenant, secret) });
    if (!keepSecret) await secret.load();
    const problem = secret.problem;
    const fields = { source: path, sink: tenant.sink.href, eventSource: tenant.source };
    if (problem === undefined) this.#logger.info(fields, current === undefined ? 'serving GitHubSource' : 'GitHubSource changed');
    else this.#logger.warn({ ...fields, secret: tenant.secretRef.name, problem }, 'GitHubSource served, but its secret cannot be read yet');
  }

  remove(object: GitHubSourceObject): void {
    const path = `/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    if (this.#byPath.delete(path)) this.#logger.info({ source: path }, 'GitHubSource deleted: no longer served');
  }

  /** The route for a request path; HttpError 404 for a path that is no served source. */
  route(path: string): GitHubRoute {
    const served = this.#byPath.get(path.replace(/\/+$/, ''));
    if (served === undefined) throw new HttpError(404, 'SOURCE_NOT_FOUND', `no GitHubSource is served at ${path}`);
    return served.route;
  }
}
