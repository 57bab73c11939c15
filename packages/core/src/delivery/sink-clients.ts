import type { RuntimeConfig } from '../config/runtime-config.ts';
import type { CloudEvent } from '../event/cloudevent.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { EmitTarget } from '../runtime/adapter.ts';
import { createSinkConnection, SinkClient, type SinkConnection } from './sink-client.ts';
import type { SinkTokens } from '../oidc/sink-tokens.ts';
import type { BearerToken } from './bearer-token.ts';
import type { DeliveryTracer } from '../observability/tracing.ts';

/**
 * The sink clients of one process: the K_SINK one, plus one per distinct (sink, overrides,
 * namespace, OIDC identity) target an adapter asks for. Clients to the same origin share one keep-alive pool and
 * one in-flight limit: Knative brokers are paths on one ingress host, and 10,000 ping sources must
 * not mean 10,000 pools. All drain together at shutdown.
 */
export class SinkClients {
  readonly #runtime: RuntimeConfig;
  readonly #tokens: SinkTokens | undefined;
  readonly #metrics: Metrics;
  readonly #clients = new Map<string, SinkClient>();
  readonly #connections = new Map<string, SinkConnection>();
  readonly #tracer: DeliveryTracer | undefined;

  constructor(runtime: RuntimeConfig, tokens: SinkTokens | undefined, metrics: Metrics, tracer?: DeliveryTracer) {
    this.#runtime = runtime;
    this.#tokens = tokens;
    this.#metrics = metrics;
    this.#tracer = tracer;
  }

  emitTo(target: EmitTarget): (event: CloudEvent) => Promise<void> {
    const sink = target.sink ?? this.#runtime.sink;
    if (sink === undefined) return () => Promise.reject(new Error('no sink: set K_SINK or give the target a sink'));
    const overrides = { ...this.#runtime.ceOverrides, ...target.ceOverrides };
    const namespace = target.namespace ?? this.#runtime.namespace;
    const oidc = target.oidc;
    const identity = oidc === undefined ? '' : `${oidc.namespace}/${oidc.serviceAccount}/${oidc.audience}`;
    // A target's CA (a PingSource's status.sinkCACerts) is trusted beside K_CA_CERTS, on its own pool.
    const caCerts = target.caCerts ? [this.#runtime.caCerts, target.caCerts].filter(Boolean).join('\n') : this.#runtime.caCerts;
    const key = `${sink.href}\u0000${JSON.stringify(overrides)}\u0000${namespace ?? ''}\u0000${identity}\u0000${target.caCerts ?? ''}`;
    let client = this.#clients.get(key);
    if (client === undefined) {
      const connectionKey = `${sink.origin}\u0000${target.caCerts ?? ''}`;
      let connection = this.#connections.get(connectionKey);
      if (connection === undefined) {
        connection = createSinkConnection(sink.origin, {
          maxInFlight: this.#runtime.maxInFlight,
          timeoutMs: this.#runtime.sinkTimeoutMs,
          caCerts,
        });
        this.#connections.set(connectionKey, connection);
      }
      client = new SinkClient({
        connection,
        sink,
        mode: this.#runtime.mode,
        overrides,
        timeoutMs: this.#runtime.sinkTimeoutMs,
        retry: this.#runtime.retry,
        maxInFlight: this.#runtime.maxInFlight,
        caCerts,
        token: this.#tokenFor(target, sink),
        namespace,
        metrics: this.#metrics.delivery,
        tracer: this.#tracer,
      });
      this.#clients.set(key, client);
    }
    const chosen = client;
    return (event) => chosen.send(event).then(acknowledged);
  }

  /** A target's own identity, else the process token, which is for K_SINK's audience only. */
  #tokenFor(target: EmitTarget, sink: URL): BearerToken | undefined {
    if (target.oidc !== undefined) {
      if (this.#tokens === undefined) return new Unavailable('no OIDC token source in this process');
      return this.#tokens.forIdentity(target.oidc);
    }
    return sink.href === this.#runtime.sink?.href ? this.#tokens?.forSink : undefined;
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
    await this.#tokens?.close();
  }
}

/** A target asked for OIDC where no token can be had: every delivery fails saying why. */
class Unavailable implements BearerToken {
  readonly #reason: string;
  constructor(reason: string) {
    this.#reason = reason;
  }
  current(): Promise<string> {
    return Promise.reject(new Error(this.#reason));
  }
  refresh(): boolean {
    return false;
  }
}

/** `emit` resolves to nothing: callers only need to know the sink accepted the event. */
function acknowledged(): void {}
