import type { RuntimeConfig } from '../config/runtime-config.ts';
import type { CloudEvent } from '../event/cloudevent.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { EmitTarget } from '../runtime/adapter.ts';
import { createSinkConnection, SinkClient, type SinkConnection } from './sink-client.ts';
import type { TokenFile } from './token.ts';
import type { DeliveryTracer } from '../observability/tracing.ts';

/**
 * The sink clients of one process: the K_SINK one, plus one per distinct (sink, overrides,
 * namespace) target an adapter asks for. Clients to the same origin share one keep-alive pool and
 * one in-flight limit: Knative brokers are paths on one ingress host, and 10,000 ping sources must
 * not mean 10,000 pools. All drain together at shutdown.
 */
export class SinkClients {
  readonly #runtime: RuntimeConfig;
  readonly #token: TokenFile | undefined;
  readonly #metrics: Metrics;
  readonly #clients = new Map<string, SinkClient>();
  readonly #connections = new Map<string, SinkConnection>();
  readonly #tracer: DeliveryTracer | undefined;

  constructor(runtime: RuntimeConfig, token: TokenFile | undefined, metrics: Metrics, tracer?: DeliveryTracer) {
    this.#runtime = runtime;
    this.#token = token;
    this.#metrics = metrics;
    this.#tracer = tracer;
  }

  emitTo(target: EmitTarget): (event: CloudEvent) => Promise<void> {
    const sink = target.sink ?? this.#runtime.sink;
    if (sink === undefined) return () => Promise.reject(new Error('no sink: set K_SINK or give the target a sink'));
    const overrides = { ...this.#runtime.ceOverrides, ...target.ceOverrides };
    const namespace = target.namespace ?? this.#runtime.namespace;
    const key = `${sink.href}\u0000${JSON.stringify(overrides)}\u0000${namespace ?? ''}`;
    let client = this.#clients.get(key);
    if (client === undefined) {
      let connection = this.#connections.get(sink.origin);
      if (connection === undefined) {
        connection = createSinkConnection(sink.origin, {
          maxInFlight: this.#runtime.maxInFlight,
          timeoutMs: this.#runtime.sinkTimeoutMs,
          caCerts: this.#runtime.caCerts,
        });
        this.#connections.set(sink.origin, connection);
      }
      client = new SinkClient({
        connection,
        sink,
        mode: this.#runtime.mode,
        overrides,
        timeoutMs: this.#runtime.sinkTimeoutMs,
        retry: this.#runtime.retry,
        maxInFlight: this.#runtime.maxInFlight,
        caCerts: this.#runtime.caCerts,
        token: this.#token,
        namespace,
        metrics: this.#metrics.delivery,
        tracer: this.#tracer,
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
    await Promise.all([...this.#connections.values()].map((connection) => connection.pool.destroy()));
  }
}

/** `emit` resolves to nothing: callers only need to know the sink accepted the event. */
function acknowledged(): void {}
