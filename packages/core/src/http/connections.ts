import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { BUSY_RETRY_AFTER_SECONDS } from './raw-body.ts';

const BUSY_BODY = JSON.stringify({ error: 'BUSY', message: 'too many open connections; try again later' });
// Written on the raw socket: the connection is refused before Node's HTTP parser sees a request,
// so a client that never finishes its headers (slowloris) is answered too.
const BUSY_RESPONSE =
  'HTTP/1.1 503 Service Unavailable\r\n' +
  `Retry-After: ${BUSY_RETRY_AFTER_SECONDS}\r\n` +
  'Content-Type: application/json\r\n' +
  `Content-Length: ${Buffer.byteLength(BUSY_BODY)}\r\n` +
  'Connection: close\r\n\r\n' +
  BUSY_BODY;

/**
 * The open connections of one server, with the requests each is answering. It caps them
 * (`MAX_CONNECTIONS`: one more gets 503 with Retry-After and is closed) and ends them at shutdown:
 * Node's `server.close()` waits for every connection with a request in progress, and once closed it
 * no longer enforces `headersTimeout`/`requestTimeout`, so one client sending half a request would
 * hold the process forever.
 */
export class Connections {
  /** Every open socket, with how many of its requests are still being answered. */
  readonly #open = new Map<Socket, number>();
  readonly #server: Server;

  constructor(server: Server, maxConnections: number) {
    this.#server = server;
    server.on('connection', (socket: Socket) => {
      if (maxConnections > 0 && this.#open.size >= maxConnections) return refuse(socket);
      this.#open.set(socket, 0);
      socket.once('close', () => this.#open.delete(socket));
    });
    server.on('request', (request, response) => {
      const socket = request.socket;
      if (!this.#open.has(socket)) return;
      this.#open.set(socket, (this.#open.get(socket) ?? 0) + 1);
      response.once('close', () => {
        const answering = this.#open.get(socket);
        if (answering !== undefined) this.#open.set(socket, Math.max(0, answering - 1));
      });
    });
  }

  get size(): number {
    return this.#open.size;
  }

  /**
   * Stops accepting, closes idle connections and those still sending headers (a reset: no request
   * was read from them), lets requests being answered finish until `withinMs`, then destroys what
   * is left. Resolves once the server is closed.
   */
  async close(withinMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    for (const [socket, answering] of this.#open) if (answering === 0) socket.destroy();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, withinMs));
    });
    await Promise.race([closed, deadline]);
    clearTimeout(timer);
    for (const socket of this.#open.keys()) socket.destroy();
    this.#server.closeAllConnections();
    await closed;
  }
}

function refuse(socket: Socket): void {
  socket.on('error', () => {});
  socket.end(BUSY_RESPONSE);
  // A client that never closes its side must not keep the refused socket open.
  setTimeout(() => socket.destroy(), 1_000).unref();
}
