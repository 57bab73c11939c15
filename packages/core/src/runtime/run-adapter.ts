import type { Server } from 'node:http';
import { Env, type EnvVars } from '../config/env.ts';
import { readRuntimeConfig, type RuntimeConfig } from '../config/runtime-config.ts';
import { readObservabilityConfig, type ObservabilityConfig } from '../config/observability-config.ts';
import { ConfigError } from '../errors.ts';
import { SinkClients } from '../delivery/sink-clients.ts';
import { readSinkTokens, type SinkTokens } from '../oidc/sink-tokens.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { startMetricsExport, startTracing } from '../observability/setup.ts';
import { closeServerWithin, createHttpApp, listen, metricsHandler } from '../http/server.ts';
import { BufferBudget } from '../http/buffer-budget.ts';
import type { Adapter, AdapterContext, CommandContext } from './adapter.ts';
import type { Leadership } from './leadership.ts';
import { holdYoungGeneration } from './heap.ts';

/** sysexits.h EX_CONFIG: the configuration is wrong; restarting will not help. */
export const EXIT_CONFIG = 78;

export interface RunOptions {
  readonly env?: EnvVars;
  /** Command-line arguments after the script; defaults to `process.argv.slice(2)`. */
  readonly args?: readonly string[];
  /** Called instead of process.exit (tests). */
  readonly exit?: (code: number) => void;
  /**
   * Check the configuration and exit (0, or 78 with the problems) without starting anything; also
   * turned on by a `--check-config` argument (`node main.js --check-config`). The chart tests run it
   * against every rendered Deployment's env.
   */
  readonly checkConfig?: boolean;
}

/**
 * The one call an adapter's main makes. Parses the environment (every problem reported at once,
 * exit 78 before any work), builds the sink client, serves probes and metrics, maps SIGTERM and
 * SIGINT to cancellation, runs the adapter, drains in-flight deliveries and exits.
 */
export async function runAdapter<C>(adapter: Adapter<C>, options: RunOptions = {}): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const env = new Env(options.env ?? process.env);
  // Before any config is read: ping's sources file is parsed inside adapter.config.
  if (env.bool('COMPACT_HEAP', adapter.compactHeap ?? true)) holdYoungGeneration();
  let runtime: RuntimeConfig;
  let observability: ObservabilityConfig;
  let config: C;
  let tokens: SinkTokens;
  let leadership: Leadership | undefined;
  const args = options.args ?? process.argv.slice(2);
  const command = Object.entries(adapter.commands ?? {}).find(([flag]) => args.includes(flag));
  try {
    // A one-shot command sends no events: no K_SINK needed (a Helm hook Job has none).
    runtime = readRuntimeConfig(env, { needsSink: command === undefined && (adapter.needsSink ?? true), component: adapter.name });
    observability = readObservabilityConfig(env);
    config = adapter.config(env, runtime, args);
    leadership = adapter.leadership?.(env, runtime);
    tokens = await readSinkTokens(env, runtime);
    env.assertValid();
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `configuration failed: ${String(error)}`;
    process.stderr.write(`tributary-${adapter.name}: ${message}\n`);
    return exit(EXIT_CONFIG);
  }
  if (options.checkConfig ?? process.argv.includes('--check-config')) {
    process.stdout.write(`tributary-${adapter.name}: configuration ok\n`);
    return exit(0);
  }

  const identity = { adapter: adapter.name, namespace: runtime.namespace, name: runtime.name };
  // The logger needs the tracing mixin, and tracing reports through the logger: a late binding.
  const exportWarnings: { log?: (message: string) => void } = {};
  const tracing = await startTracing(observability.traces, identity, (message) => exportWarnings.log?.(message));
  const logger = createLogger(
    runtime.logLevel,
    { adapter: adapter.name, namespace: runtime.namespace, source: runtime.name },
    tracing.enabled ? () => tracing.logFields() : undefined,
  );
  exportWarnings.log = (message) => logger.warn({ exporter: observability.traces?.export.kind }, `trace export: ${message}`);
  // Observability settings never stop an adapter (Knative's adapters ignore a malformed config too).
  for (const warning of observability.warnings) logger.warn(`observability config: ${warning}; defaults kept`);
  const metrics = createMetrics({ adapter: adapter.name, name: runtime.name, namespace: runtime.namespace }, true, {
    resourceGroup: observability.resourceGroup,
  });
  const metricsExport = await startMetricsExport(observability.metrics, metrics.registry, identity);
  const lifecycle = new Lifecycle(adapter.readiness ?? 'on-start');
  const clients = new SinkClients(runtime, tokens, metrics, tracing.delivery);
  const controller = new AbortController();
  const app = createHttpApp(lifecycle, { rootProbe: !adapter.servesRoot });
  for (const { variable, message } of env.warnings) logger.warn({ variable }, `${variable} ${message}`);
  if (command !== undefined) {
    const [flag, run] = command;
    const code = await runCommand(flag, run, { config, logger, metrics, signal: controller.signal }, controller);
    await Promise.all([tracing.shutdown(1_000), metricsExport.shutdown(1_000)]);
    return exit(code);
  }

  const fatal = (error: unknown, what: string) => {
    logger.fatal({ err: error }, what);
    exit(1);
  };
  process.on('uncaughtException', (error) => fatal(error, 'uncaught exception'));
  process.on('unhandledRejection', (error) => fatal(error, 'unhandled rejection'));

  let servers: Server[];
  try {
    servers = [
      await listen(app, runtime.port, { host: runtime.listenAddress, maxConnections: runtime.maxConnections }),
      await listen(metricsHandler(metrics.registry), runtime.metricsPort, { host: runtime.listenAddress }),
    ];
  } catch (error) {
    return fatal(error, `cannot listen on PORT ${runtime.port} / METRICS_PORT ${runtime.metricsPort}`);
  }

  const ctx: AdapterContext<C> = {
    config,
    runtime,
    emit: clients.emitTo({}),
    emitTo: (target) => clients.emitTo(target),
    logger,
    metrics,
    tracing,
    signal: controller.signal,
    http: app,
    bufferBudget: new BufferBudget(runtime.maxBufferedBytes),
    setReady: (ready, reason) => lifecycle.setAdapterReady(ready, reason),
  };

  let stopDeadline = Number.POSITIVE_INFINITY;
  let graceOver: () => void = () => {};
  const graceTimer = new Promise<'grace-over'>((resolve) => {
    graceOver = () => resolve('grace-over');
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    logger.info({ signal }, 'shutting down: not ready, finishing in-flight work');
    stopDeadline = Date.now() + runtime.shutdownGraceMs;
    setTimeout(graceOver, runtime.shutdownGraceMs).unref();
    lifecycle.stopping();
    controller.abort();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  logger.info(
    {
      sink: runtime.sink?.href,
      mode: runtime.mode,
      port: runtime.port,
      metricsPort: runtime.metricsPort,
      sinkTimeoutMs: runtime.sinkTimeoutMs,
      systemNamespace: runtime.knative.systemNamespace,
      metricsDomain: runtime.knative.metricsDomain,
      oidc: tokens.describe,
    },
    'starting',
  );
  lifecycle.started();
  let code = 0;
  try {
    const run = leadership ? runAsLeader(leadership, adapter, ctx, controller.signal, logger) : adapter.start(ctx);
    if ((await Promise.race([run, graceTimer])) === 'grace-over') {
      logger.error('grace period over before the adapter stopped');
      code = 1;
    }
  } catch (error) {
    logger.error({ err: error }, 'adapter failed');
    code = 1;
  }
  lifecycle.stopping();
  const deadline = Number.isFinite(stopDeadline) ? stopDeadline : Date.now() + runtime.shutdownGraceMs;
  if (!(await clients.drain(Math.max(0, deadline - Date.now())))) {
    logger.error({ pending: clients.pending }, 'grace period over with deliveries still in flight');
    code = code || 1;
  }
  await clients.close();
  // Answers of finished deliveries go out; connections still holding half a request (or one whose
  // delivery missed the deadline) are destroyed at the deadline, so a client cannot hold the exit.
  await Promise.all(servers.map((server) => closeServerWithin(server, deadline - Date.now())));
  // Spans still buffered go out now, within what is left of the grace period (at least 0.5 s).
  const flushMs = Math.min(5_000, Math.max(500, deadline - Date.now()));
  await Promise.all([tracing.shutdown(flushMs), metricsExport.shutdown(flushMs)]);
  logger.info({ code }, 'stopped');
  exit(code);
}

/** A one-shot command: SIGTERM/SIGINT abort its signal; 0 when it resolves, 1 when it throws. */
async function runCommand<C>(
  flag: string,
  run: (ctx: CommandContext<C>) => Promise<void>,
  ctx: CommandContext<C>,
  controller: AbortController,
): Promise<number> {
  const abort = (signal: NodeJS.Signals) => {
    ctx.logger.info({ signal, command: flag }, 'interrupted');
    controller.abort();
  };
  process.once('SIGTERM', abort);
  process.once('SIGINT', abort);
  ctx.logger.info({ command: flag }, 'running command');
  try {
    await run(ctx);
    ctx.logger.info({ command: flag, code: 0 }, 'command done');
    return 0;
  } catch (error) {
    ctx.logger.error({ command: flag, code: 1, error: error instanceof Error ? error.message : String(error) }, 'command failed');
    return 1;
  } finally {
    process.off('SIGTERM', abort);
    process.off('SIGINT', abort);
  }
}

/** Runs the adapter once per leader term; a lost term stops it, a new term starts it again. */
async function runAsLeader<C>(
  leadership: Leadership,
  adapter: Adapter<C>,
  ctx: AdapterContext<C>,
  shutdown: AbortSignal,
  logger: Logger,
): Promise<void> {
  const leading = ctx.metrics.gauge('tributary_leader', '1 while this replica is the leader.');
  // A follower is ready: it serves probes and waits. A managed adapter reports its own readiness
  // during a term, starting from not ready until its upstream connection is up.
  ctx.setReady(true);
  await leadership.run(async (term) => {
    // The handover note can be large (apiserver: resourceVersions per collection); log its size only.
    const { graceful, note } = term.previous;
    logger.info({ previous: { graceful }, handoverNoteBytes: note?.length ?? 0 }, 'became leader');
    leading.set(1);
    if (adapter.readiness === 'managed') ctx.setReady(false, 'leader: waiting for the upstream connection');
    try {
      await adapter.start({ ...ctx, signal: term.signal, leaderTerm: term });
    } finally {
      ctx.setReady(true);
      leading.set(0);
      logger.info({ shuttingDown: shutdown.aborted }, 'leader term ended');
    }
  }, shutdown);
}

/** Readiness: not before start, not after SIGTERM, and (managed) not while the upstream is down. */
class Lifecycle {
  #phase: 'starting' | 'running' | 'stopping' = 'starting';
  #adapterReady: boolean;
  #adapterReason = 'waiting for the upstream connection';

  constructor(readiness: 'on-start' | 'managed') {
    this.#adapterReady = readiness === 'on-start';
  }

  started(): void {
    if (this.#phase === 'starting') this.#phase = 'running';
  }

  stopping(): void {
    this.#phase = 'stopping';
  }

  setAdapterReady(ready: boolean, reason?: string): void {
    this.#adapterReady = ready;
    if (reason !== undefined) this.#adapterReason = reason;
  }

  notReadyReasons(): string[] {
    if (this.#phase === 'starting') return ['starting'];
    if (this.#phase === 'stopping') return ['shutting down'];
    return this.#adapterReady ? [] : [this.#adapterReason];
  }
}

export type { Logger };
