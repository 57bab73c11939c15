import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventStore } from './event-store.ts';

export interface EventStreamOptions {
  /** Extra fields of the first `snapshot` message (e.g. the store capacity). */
  readonly hello: Readonly<Record<string, unknown>>;
  /** Comment lines keep idle connections open through proxies. */
  readonly keepAliveMs?: number;
  /** A client this far behind is disconnected; it reconnects and gets a fresh snapshot. */
  readonly maxBufferedBytes?: number;
  /** Told the number of open streams whenever it changes (a metrics gauge). */
  readonly onSizeChange?: (size: number) => void;
}

/**
 * Server-sent events for the page (WHATWG HTML §9.2). Each connection gets a `snapshot`
 * (kept events, counts and refusals) and then `cloudevent`, `refused` and `cleared` messages as
 * they happen. A
 * reconnecting EventSource simply gets a new snapshot, so no resume bookkeeping is needed.
 */
export class EventStreams {
  readonly #store: EventStore;
  readonly #options: Required<EventStreamOptions>;
  readonly #open = new Set<ServerResponse>();

  constructor(store: EventStore, options: EventStreamOptions) {
    this.#store = store;
    this.#options = {
      keepAliveMs: 15_000,
      maxBufferedBytes: 8 * 1024 * 1024,
      onSizeChange: () => {},
      ...options,
    };
  }

  get size(): number {
    return this.#open.size;
  }

  serve(_request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // Nginx-style proxies buffer responses unless told not to.
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) => {
      if (response.writableLength > this.#options.maxBufferedBytes) {
        response.destroy();
        return;
      }
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    response.write('retry: 2000\n\n');
    send('snapshot', { ...this.#options.hello, ...this.#store.snapshot() });
    const unsubscribe = this.#store.subscribe((change) => {
      if (change.kind === 'cleared') send('cleared', {});
      else if (change.kind === 'refused') send('refused', change.refused);
      else for (const event of change.events) send('cloudevent', event);
    });
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), this.#options.keepAliveMs);
    this.#open.add(response);
    this.#options.onSizeChange(this.#open.size);
    response.once('close', () => {
      unsubscribe();
      clearInterval(keepAlive);
      this.#open.delete(response);
      this.#options.onSizeChange(this.#open.size);
    });
  }

  /** Ends every stream, so the server can close at shutdown. */
  closeAll(): void {
    for (const response of this.#open) response.end();
  }
}
