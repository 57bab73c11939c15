import type { ServerResponse } from 'node:http';
import type { ResourceDefinition } from './registry.ts';
import { matchFields, matchLabels } from './selectors.ts';
import type { FieldRequirement, LabelRequirement } from './selectors.ts';
import type { ObjectStore, StoreEvent } from './store.ts';
import type { StoredObject, WatchEventType } from './types.ts';
import { toJson } from './json.ts';

/** A parsed watch request. */
export interface WatchRequest {
  def: ResourceDefinition;
  /** Undefined = all namespaces (or a cluster-scoped resource). */
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  /** Raw `resourceVersion` query value. */
  resourceVersion?: string;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  bookmarkIntervalMs: number;
}

/** Public description of an open watch. */
export interface WatchInfo {
  path: string;
  query: Record<string, string>;
  apiVersion: string;
  plural: string;
  namespace?: string;
  openedAt: number;
}

interface WireEvent {
  type: WatchEventType;
  object: unknown;
}

/** One open watch: a chunked stream of newline-delimited JSON events. */
export class WatchStream {
  readonly info: WatchInfo;
  readonly #res: ServerResponse;
  readonly #store: ObjectStore;
  readonly #req: WatchRequest;
  readonly #onClose: (w: WatchStream) => void;
  readonly #timers: NodeJS.Timeout[] = [];
  #unsubscribe: (() => void) | undefined;
  #paused = false;
  #pending: string[] = [];
  #closed = false;

  constructor(
    res: ServerResponse,
    store: ObjectStore,
    req: WatchRequest,
    info: WatchInfo,
    onClose: (w: WatchStream) => void,
  ) {
    this.#res = res;
    this.#store = store;
    this.#req = req;
    this.info = info;
    this.#onClose = onClose;
  }

  /** Sends initial/replayed events and subscribes to live ones (synchronously, so nothing is missed). */
  start(): void {
    const res = this.#res;
    res.on('close', () => this.#cleanup());
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();

    const raw = this.#req.resourceVersion;
    const fromScratch = raw === undefined || raw === '' || raw === '0';
    if (fromScratch || this.#req.sendInitialEvents) {
      for (const obj of this.#store.list(this.#req.def, this.#req.namespace)) {
        if (this.#matches(obj)) this.#send({ type: 'ADDED', object: obj });
      }
      if (this.#req.sendInitialEvents && this.#req.allowBookmarks) this.#bookmark(true);
    } else {
      const rv = Number(raw);
      if (rv < this.#store.oldestResourceVersion) {
        this.#send({ type: 'ERROR', object: this.#store.expired(rv).status });
        res.end();
        return;
      }
      for (const ev of this.#store.eventsAfter(rv)) this.#deliver(ev);
    }
    this.#unsubscribe = this.#store.subscribe((ev) => this.#deliver(ev));

    if (this.#req.allowBookmarks) {
      const t = setInterval(() => this.#bookmark(false), this.#req.bookmarkIntervalMs);
      t.unref();
      this.#timers.push(t);
    }
    if (this.#req.timeoutSeconds !== undefined && this.#req.timeoutSeconds > 0) {
      const t = setTimeout(() => this.cut(true), this.#req.timeoutSeconds * 1000);
      t.unref();
      this.#timers.push(t);
    }
  }

  /** Ends the stream: gracefully (clean end of the chunked body) or abruptly (socket destroyed). */
  cut(graceful: boolean): void {
    if (this.#closed) return;
    if (graceful) this.#res.end();
    else this.#res.destroy();
    this.#cleanup();
  }

  /** Holds events (and bookmarks) back until `resume()`. */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    const lines = this.#pending;
    this.#pending = [];
    for (const line of lines) this.#write(line);
  }

  #matches(obj: StoredObject): boolean {
    const req = this.#req;
    if (req.def.namespaced && req.namespace !== undefined && obj.metadata.namespace !== req.namespace)
      return false;
    return matchLabels(req.labels, obj.metadata.labels) && matchFields(req.fields, obj);
  }

  /** Real watch-cache semantics: selector transitions turn updates into ADDED/DELETED. */
  #deliver(ev: StoreEvent): void {
    if (ev.def.key !== this.#req.def.key) return;
    const cur = ev.type !== 'DELETED' && this.#matches(ev.object);
    const old = ev.prev !== undefined && this.#matches(ev.prev);
    if (cur) {
      this.#send({ type: old ? 'MODIFIED' : 'ADDED', object: ev.object });
    } else if (old && ev.prev) {
      const last = toJson(ev.prev);
      last.metadata.resourceVersion = String(ev.rv);
      this.#send({ type: 'DELETED', object: last });
    }
  }

  #bookmark(initialEventsEnd: boolean): void {
    if (this.#paused && !initialEventsEnd) return;
    const metadata: Record<string, unknown> = { resourceVersion: String(this.#store.resourceVersion) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    this.#send({
      type: 'BOOKMARK',
      object: { kind: this.#req.def.kind, apiVersion: this.#req.def.apiVersion, metadata },
    });
  }

  #send(event: WireEvent): void {
    const line = `${JSON.stringify(event)}\n`;
    if (this.#paused) this.#pending.push(line);
    else this.#write(line);
  }

  #write(line: string): void {
    if (!this.#closed && !this.#res.writableEnded && !this.#res.destroyed) this.#res.write(line);
  }

  #cleanup(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    for (const t of this.#timers) clearTimeout(t);
    this.#onClose(this);
  }
}
