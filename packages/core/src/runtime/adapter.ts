import type { Express } from 'express';
import type { Env } from '../config/env.ts';
import type { RuntimeConfig } from '../config/runtime-config.ts';
import type { CloudEvent, EventTypeInfo, Extensions } from '../event/cloudevent.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Tracing } from '../observability/tracing.ts';
import type { Leadership, LeaderTerm } from './leadership.ts';
import type { BufferBudget } from '../http/buffer-budget.ts';

/**
 * An adapter, as knative/eventing's `pkg/adapter/v2` shapes it: config + a `start` that blocks
 * until cancelled. Everything else (env, sink, overrides, probes, metrics, logs, signals) is core's.
 */
export interface Adapter<C> {
  /** Component name for logs, metrics and the process title: `heartbeat`, `github`, ... */
  readonly name: string;
  /**
   * Reads the adapter's own variables through `env`; problems are collected, not thrown. `args` are
   * the command-line arguments (a container spec's `args`), for adapters that accept Go-style flags
   * through `GoFlags`.
   */
  readonly config: (env: Env, runtime: RuntimeConfig, args: readonly string[]) => C;
  /**
   * Runs until `ctx.signal` aborts, then returns once the adapter's own in-flight work is done.
   * Returning earlier ends the process normally (a one-shot adapter).
   */
  readonly start: (ctx: AdapterContext<C>) => Promise<void>;
  /**
   * `on-start` (default): ready as soon as `start` runs. `managed`: not ready until the adapter
   * calls `ctx.setReady(true)`, for watch and poll adapters whose upstream connection matters.
   */
  readonly readiness?: 'on-start' | 'managed';
  /**
   * Hold V8's young generation at its initial size (see runtime/heap.ts). On for every adapter
   * unless this is false; `COMPACT_HEAP=false` turns it off at run time.
   */
  readonly compactHeap?: boolean;
  /** False for components that receive rather than send events (no K_SINK needed). */
  readonly needsSink?: boolean;
  /** True when the adapter serves `GET /` itself (the display's page), so `/` is not a liveness probe. */
  readonly servesRoot?: boolean;
  /**
   * For singleton adapters: leader election read from env (undefined when disabled). When present,
   * `start` runs once per leader term with `ctx.signal` aborted when the term ends, and
   * `ctx.leaderTerm` set. A follower is ready and waits.
   */
  readonly leadership?: (env: Env, runtime: RuntimeConfig) => Leadership | undefined;
  /** The CloudEvent types this adapter emits (event registry, docs/contracts.md §9). */
  readonly eventTypes?: readonly EventTypeInfo[];
  /**
   * One-shot commands, each selected by a command-line argument (`node main.js --delete-webhook`):
   * run instead of `start`, with no sink and no HTTP servers; the process exits 0 when the command
   * resolves and 1 when it throws (a Kubernetes Job then retries). `config` sees the same argument.
   */
  readonly commands?: Readonly<Record<`--${string}`, (ctx: CommandContext<C>) => Promise<void>>>;
}

/** What a one-shot command gets: the adapter's config, logs and metrics, and SIGTERM as `signal`. */
export interface CommandContext<C> {
  readonly config: C;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly signal: AbortSignal;
}

export interface AdapterContext<C> {
  readonly config: C;
  readonly runtime: RuntimeConfig;
  /** Resolves once the sink accepted the event; rejects with DeliveryError otherwise. */
  readonly emit: (event: CloudEvent) => Promise<void>;
  /**
   * An `emit` for another target: a sink other than K_SINK and/or extra overrides (merged over
   * K_CE_OVERRIDES). One pooled client per distinct target, drained at shutdown like the default.
   * For multi-tenant adapters such as ping's sources file.
   */
  readonly emitTo: (target: EmitTarget) => (event: CloudEvent) => Promise<void>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /**
   * Spans: `ctx.tracing.inSpan(name, { kind, parent }, fn)` runs fn in a span that deliveries made
   * inside it are children of. A no-op when tracing is off.
   */
  readonly tracing: Tracing;
  /** Aborted on SIGTERM/SIGINT: stop taking new work, finish what is in flight, return. */
  readonly signal: AbortSignal;
  /** The express app on PORT (probes are already mounted: GET/HEAD `/`, `/health`, `/healthz`, `/readiness`, `/readyz`); mount intake here. */
  readonly http: Express;
  /** The process-wide budget of buffered request bytes (`MAX_BUFFERED_BYTES`) an intake reads bodies against. */
  readonly bufferBudget: BufferBudget;
  /** The current leader term when the adapter runs under leader election. */
  readonly leaderTerm?: LeaderTerm | undefined;
  /** For `managed` readiness: report whether the upstream connection is healthy. */
  readonly setReady: (ready: boolean, reason?: string) => void;
}

export interface EmitTarget {
  /** Defaults to K_SINK. */
  readonly sink?: URL | undefined;
  /** Applied over K_CE_OVERRIDES. */
  readonly ceOverrides?: Extensions | undefined;
  /** Sent as `Kn-Namespace` instead of NAMESPACE (a multi-tenant ping entry's own namespace). */
  readonly namespace?: string | undefined;
  /** PEM trusted for this target's https sink, beside K_CA_CERTS (a PingSource's `status.sinkCACerts`). */
  readonly caCerts?: string | undefined;
  /**
   * OIDC for this target: a token for `serviceAccount` with this audience from the TokenRequest API
   * (a PingSource's `status.sinkAudience` and `status.auth.serviceAccountName`).
   */
  readonly oidc?: { readonly audience: string; readonly serviceAccount: string; readonly namespace: string } | undefined;
}
