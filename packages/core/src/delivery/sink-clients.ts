import type { RuntimeConfig } from '../config/runtime-config.ts';
import type { CloudEvent } from '../event/cloudevent.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { EmitTarget } from '../runtime/adapter.ts';
import { SinkClient } from './sink-client.ts';
import type { TokenFile } from './token.ts';

/**
 * The sink clients of one process: the K_SINK one, plus one per distinct (sink, overrides)
 * target an adapter asks for. Each keeps its own keep-alive pool; all drain together at shutdown.
 */
export class SinkClients {
  readonly #runtime: RuntimeConfig;
  readonly #token: TokenFile | undefined;
  readonly #metrics: Metrics;
  readonly #clients = new Map<string, SinkClient>();

  constructor(runtime: RuntimeConfig, token: TokenFile | undefined, metrics: Metrics) {
    this.#runtime = runtime;
    this.#token = token;
    this.#metrics = metrics;
  }

  emitTo(target: EmitTarget): (event: CloudEvent) => Promise<void> {
    const sink = target.sink ?? this.#runtime.sink;
    if (sink === undefined) return () => Promise.reject(new Error('no sink: set K_SINK or give the target a sink'));
    const overrides = { ...this.#runtime.ceOverrides, ...target.ceOverrides };
    const key = `${sink.href}\u0000${JSON.stringify(overrides)}`;
    let client = this.#clients.get(key);
    if (client === undefined) {
      client = new SinkClient({
        sink,
        mode: this.#runtime.mode,
        overrides,
        timeoutMs: this.#runtime.sinkTimeoutMs,
        retry: this.#runtime.retry,
        maxInFlight: this.#runtime.maxInFlight,
        caCerts: this.#runtime.caCerts,
        token: this.#token,
        namespace: this.#runtime.namespace,
        metrics: this.#metrics.delivery,
      });
      this.#clients.set(key, client);
    }
    const chosen = client;
    return (event) => chosen.send(event).then(acknowledged);
  }

  get pending(): number {
    let total = 0;
    for (const client of this.#clients.values()) total += client.pending;
    return total;
  }

  async drain(timeoutMs: number): Promise<boolean> {
    const results = await Promise.all([...this.#clients.values()].map((client) => client.drain(timeoutMs)));
    return results.every(Boolean);
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((client) => client.close()));
  }
}

/** `emit` resolves to nothing: callers only need to know the sink accepted the event. */
function acknowledged(): void {}
