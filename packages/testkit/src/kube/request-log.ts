import type { IncomingMessage } from 'node:http';
import { failureStatus } from './types.ts';
import type { KubeStatus } from './types.ts';

/** One received HTTP request. */
export interface KubeRequestRecord {
  method: string;
  /** URL path without query. */
  path: string;
  query: Record<string, string>;
  watch: boolean;
  /** HTTP status answered (set once the response is sent). */
  status?: number;
  authorization?: string;
  userAgent?: string;
  contentType?: string;
  time: number;
}

/** Matches requests by method, path (exact string or RegExp) and watch flag. */
export interface RequestFilter {
  method?: string;
  path?: string | RegExp;
  watch?: boolean;
}

/** Which requests `failNext` applies to, and the Status it answers with. */
export interface FailOptions extends RequestFilter {
  message?: string;
  reason?: string;
}

export function pathMatches(filter: string | RegExp | undefined, path: string): boolean {
  if (filter === undefined) return true;
  return typeof filter === 'string' ? filter === path : filter.test(path);
}

export function matchesFilter(filter: RequestFilter, method: string, path: string, watch: boolean): boolean {
  if (filter.method !== undefined && filter.method.toUpperCase() !== method) return false;
  if (filter.watch !== undefined && filter.watch !== watch) return false;
  return pathMatches(filter.path, path);
}

function isWatch(query: URLSearchParams, path: string): boolean {
  const w = query.get('watch');
  return w === 'true' || w === '1' || /^\/api\/v1\/watch\/|^\/apis\/[^/]+\/[^/]+\/watch\//.test(path);
}

/** Builds the log record of a request. */
export function recordOf(req: IncomingMessage, url: URL): KubeRequestRecord {
  const record: KubeRequestRecord = {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    watch: isWatch(url.searchParams, url.pathname),
    time: Date.now(),
  };
  if (req.headers.authorization !== undefined) record.authorization = req.headers.authorization;
  if (req.headers['user-agent'] !== undefined) record.userAgent = req.headers['user-agent'];
  if (req.headers['content-type'] !== undefined) record.contentType = req.headers['content-type'];
  return record;
}

interface FailRule {
  remaining: number;
  code: number;
  options: FailOptions;
}

/** Pending injected failures. */
export class FaultPlan {
  #rules: FailRule[] = [];

  add(count: number, code: number, options: FailOptions): void {
    if (count > 0) this.#rules.push({ remaining: count, code, options });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The Status to answer `record` with, consuming one injected failure; undefined if none applies. */
  take(record: KubeRequestRecord): KubeStatus | undefined {
    const rule = this.#rules.find((r) => matchesFilter(r.options, record.method, record.path, record.watch));
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
    return failureStatus(
      rule.code,
      rule.options.message ?? `injected failure (${rule.code})`,
      rule.options.reason,
    );
  }
}
