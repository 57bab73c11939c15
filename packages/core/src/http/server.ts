import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { Connections } from './connections.ts';

export interface Readiness {
  /** Null when ready, else the reasons it is not. */
  notReadyReasons(): readonly string[];
}

/** Liveness paths: `/healthz`, plus what Knative's controllers probe (`/health`; `/` for an `httpGet` without a path). */
export const LIVENESS_PATHS = ['/healthz', '/health', '/'] as const;
/** Readiness paths: `/readyz`, plus `/readiness` (ApiServerSource's receive adapter Deployment). */
export const READINESS_PATHS = ['/readyz', '/readiness'] as const;

export interface HttpAppOptions {
  /** False when the adapter serves `GET /` itself (the display's page); `/` is then no probe. */
  readonly rootProbe?: boolean;
}

/**
 * The adapter's HTTP server on PORT: liveness and readiness probes (GET and HEAD) and whatever
 * intake an adapter mounts. A webhook intake on `/` still gets its POSTs: only GET and HEAD on `/`
 * are the probe. Timeouts are set against slow clients (slowloris): headers must arrive within
 * 15 s and a whole request within 2 minutes.
 */
export function createHttpApp(readiness: Readiness, options: HttpAppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const live = LIVENESS_PATHS.filter((path) => path !== '/' || options.rootProbe !== false);
  // Express answers HEAD through the GET route, without a body.
  app.get(live, (_request, response) => {
    response.status(200).type('text/plain').send('ok');
  });
  app.get([...READINESS_PATHS], (_request, response) => {
    const reasons = readiness.notReadyReasons();
    response.status(reasons.length === 0 ? 200 : 503).json({ ready: reasons.length === 0, reasons });
  });
  return app;
}

export interface ListenOptions {
  /** The address to listen on (`LISTEN_ADDRESS`); every interface when undefined. */
  readonly host?: string | undefined;
  /** Open connections beyond which a new one gets 503 with Retry-After (`MAX_CONNECTIONS`); 0: no cap. */
  readonly maxConnections?: number;
}

const connections = new WeakMap<Server, Connections>();

export function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
  options: ListenOptions = {},
): Promise<Server> {
  const server = createServer({ headersTimeout: 15_000, requestTimeout: 120_000, keepAliveTimeout: 65_000 }, (request, response) => {
    // A connection refused over MAX_CONNECTIONS has its 503 written already; nothing more goes out on it.
    if (request.socket.writableEnded) return void response.destroy();
    handler(request, response);
  });
  connections.set(server, new Connections(server, options.maxConnections ?? 0));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function boundPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/** Prometheus exposition on METRICS_PORT, kept off the intake port. */
export function metricsHandler(registry: Registry) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  };
}

/** Stops accepting connections and closes idle ones; open requests may finish, however long they take. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/**
 * Shutdown: stops accepting, resets connections that have not sent a whole request head, lets
 * requests being answered finish for at most `withinMs`, then destroys every connection left (a
 * client holding half a request gets a reset, never a 2xx). Always resolves within `withinMs` plus
 * the time to destroy the sockets.
 */
export function closeServerWithin(server: Server, withinMs: number): Promise<void> {
  const open = connections.get(server);
  if (open === undefined) return closeServer(server);
  return open.close(withinMs);
}
