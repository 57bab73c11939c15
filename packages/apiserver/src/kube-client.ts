import type { Readable } from 'node:stream';
import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { request, type Dispatcher } from 'undici';

/** A `Status` failure from the API server (`code` 403, 404, 410 Gone, ...). */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: string;

  constructor(code: number, reason: string, message: string) {
    super(message);
    this.name = 'KubeApiError';
    this.code = code;
    this.reason = reason;
  }

  static fromBody(code: number, body: string): KubeApiError {
    try {
      const status = JSON.parse(body) as { reason?: string; message?: string; code?: number };
      return new KubeApiError(status.code ?? code, status.reason ?? String(code), status.message ?? body);
    } catch {
      return new KubeApiError(code, String(code), body.slice(0, 200) || `HTTP ${code}`);
    }
  }
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Raw, authenticated GETs against the API server with the kubeconfig's credentials and TLS.
 * Watches are read as a stream the caller pulls from, so a slow consumer pauses the socket
 * (the client's own `Watch` pushes every line into a callback and cannot be paused).
 */
export class KubeApi {
  readonly #kc: KubeConfig;
  #dispatcher: Dispatcher | undefined;

  constructor(kc: KubeConfig) {
    this.#kc = kc;
  }

  /** The API server URL (client-go's `rest.Config.Host`). */
  get server(): string {
    return this.#kc.getCurrentCluster()?.server ?? '';
  }

  async getJson<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
    const response = await this.#get(path, query, signal, 60_000);
    const text = await response.body.text();
    if (response.statusCode !== 200) throw KubeApiError.fromBody(response.statusCode, text);
    return JSON.parse(text) as T;
  }

  /** Opens a streaming GET (a watch); resolves with the body once the server answered 200. */
  async openStream(path: string, query: Query, signal: AbortSignal): Promise<Readable> {
    const response = await this.#get(path, query, signal, 0);
    if (response.statusCode !== 200)
      throw KubeApiError.fromBody(response.statusCode, await response.body.text());
    return response.body;
  }

  async #get(path: string, query: Query, signal: AbortSignal | undefined, bodyTimeout: number) {
    const url = new URL(this.server.replace(/\/+$/, '') + path);
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(name, String(value));
    const context = new RequestContext(url.toString(), HttpMethod.GET);
    await this.#kc.applySecurityAuthentication(context);
    return request(url, {
      method: 'GET',
      headers: { ...context.getHeaders(), accept: 'application/json' },
      dispatcher: this.#keepDispatcher(context.getDispatcher() as Dispatcher | undefined),
      signal,
      headersTimeout: 30_000,
      bodyTimeout,
    });
  }

  /** The client builds a new connection pool per request; keep the first so connections are reused. */
  #keepDispatcher(created: Dispatcher | undefined): Dispatcher | undefined {
    if (this.#dispatcher === undefined) this.#dispatcher = created;
    else if (created !== undefined && created !== this.#dispatcher) void created.close();
    return this.#dispatcher;
  }

  async close(): Promise<void> {
    await this.#dispatcher?.close();
  }
}
