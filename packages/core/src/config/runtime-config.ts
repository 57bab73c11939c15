import { isIP } from 'node:net';
import type { Env } from './env.ts';
import type { Extensions } from '../event/cloudevent.ts';
import type { ContentMode } from '../event/encode.ts';
import type { RetryPolicy } from '../delivery/retry.ts';
import type { LogLevel } from '../observability/logger.ts';
import { readCeOverrides } from './overrides.ts';
import { readKnativeConfig, type KnativeConfig } from './knative-config.ts';
import { knativePrometheusPort } from './knative-observability.ts';
import { readTrustBundles, TRUST_BUNDLES_DIR } from '../security/trust-bundles.ts';
import { cgroupMemoryLimit, defaultIntakeLimits } from './memory-limit.ts';

/** Everything of the Knative runtime contract (docs/contracts.md §1) that core owns. */
export interface RuntimeConfig {
  /** Undefined only for components that are not sources (the display sink). */
  readonly sink: URL | undefined;
  readonly ceOverrides: Extensions;
  /** 0: no timeout (`K_SINK_TIMEOUT` ≤ 0, as Knative). */
  readonly sinkTimeoutMs: number;
  /** `K_CA_CERTS` plus every certificate of the trust bundles, as one PEM; undefined when none. */
  readonly caCerts: string | undefined;
  readonly audience: string | undefined;
  readonly oidcTokenFile: string;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly retry: RetryPolicy;
  readonly mode: ContentMode;
  readonly maxInFlight: number;
  readonly port: number;
  /** The address PORT and METRICS_PORT bind; undefined: every interface (a pod's). */
  readonly listenAddress: string | undefined;
  readonly metricsPort: number;
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
  readonly knative: KnativeConfig;
  /** The container's memory limit (cgroup), undefined when unlimited; the defaults below follow it. */
  readonly memoryLimitBytes: number | undefined;
  /** `MAX_BUFFERED_BYTES`: request body bytes buffered at once across every request on PORT. */
  readonly maxBufferedBytes: number;
  /** `MAX_CONNECTIONS`: open connections on PORT; one more is answered 503 with Retry-After. */
  readonly maxConnections: number;
}

export interface RuntimeConfigOptions {
  /** False for components that receive events rather than send them. */
  readonly needsSink?: boolean;
  /** The component name `loglevel.<component>` in `K_LOGGING_CONFIG` refers to (`K_COMPONENT` wins). */
  readonly component?: string;
  /** The memory limit to derive defaults from; read from the cgroup when not given (tests pass one). */
  readonly memoryLimitBytes?: number | undefined;
}

export function readRuntimeConfig(env: Env, options: RuntimeConfigOptions = {}): RuntimeConfig {
  const sink = env.url('K_SINK', { required: options.needsSink ?? true });
  const caCerts = env.string('K_CA_CERTS');
  if (caCerts !== undefined && !caCerts.includes('-----BEGIN CERTIFICATE-----')) {
    env.problem('K_CA_CERTS', 'must hold PEM certificates (-----BEGIN CERTIFICATE-----)');
  }
  const trusted = [caCerts, ...readTrustBundles(env, env.string('K_TRUST_BUNDLES_DIR', { default: TRUST_BUNDLES_DIR }))];
  const knative = readKnativeConfig(env, env.string('K_COMPONENT') ?? options.component ?? 'adapter');
  const port = env.int('PORT', { default: 8080, min: 0, max: 65535 }) ?? 8080;
  // METRICS_PROMETHEUS_PORT is knative.dev/pkg's name, set by the GitLabSource controller and by
  // TriggerMesh's reconcilers (9092, with a container port `metrics` for scraping). METRICS_PORT wins.
  const metricsPortName = env.has('METRICS_PORT') || !env.has('METRICS_PROMETHEUS_PORT') ? 'METRICS_PORT' : 'METRICS_PROMETHEUS_PORT';
  // Neither set: the port Knative's observability config gives the Go adapter's Prometheus server.
  // (Knative's config never fails startup: a port that clashes with PORT is ignored.)
  const knativePort = env.has(metricsPortName) ? undefined : knativePrometheusPort((name) => env.raw(name));
  const fallbackPort = knativePort !== undefined && knativePort !== port ? knativePort : defaultMetricsPort(env);
  const metricsPort = env.int(metricsPortName, { default: fallbackPort, min: 0, max: 65535 }) ?? fallbackPort;
  if (port === metricsPort && port !== 0) env.problem(metricsPortName, `must differ from PORT (${port})`);
  // In a pod every interface is the pod's own; on a laptop (the playground, a local run) a webhook
  // receiver should not be reachable from the network, so LISTEN_ADDRESS=127.0.0.1 keeps it local.
  const listenAddress = env.string('LISTEN_ADDRESS');
  if (listenAddress !== undefined && isIP(listenAddress) === 0) {
    env.problem('LISTEN_ADDRESS', `must be an IP address such as 127.0.0.1 or ::1, got ${JSON.stringify(listenAddress)}`);
  }
  const memoryLimitBytes = 'memoryLimitBytes' in options ? options.memoryLimitBytes : cgroupMemoryLimit();
  const limits = defaultIntakeLimits(memoryLimitBytes);
  return {
    sink,
    ceOverrides: readCeOverrides(env),
    // Unset: 30 s, as an unbounded wait hides a dead sink (docs/contracts.md §1). ≤ 0: no timeout, as
    // Knative's GetSinktimeout (mt-ping's manifest sets K_SINK_TIMEOUT=-1).
    sinkTimeoutMs: /^\s*(0|-\d+)\s*$/.test(env.string('K_SINK_TIMEOUT') ?? '') ? 0 : env.seconds('K_SINK_TIMEOUT', 30_000, { min: 1000 }),
    caCerts: joinPem(trusted),
    audience: env.string('K_AUDIENCE'),
    oidcTokenFile: env.string('K_OIDC_TOKEN_FILE', { default: '/oidc/token' }),
    namespace: env.string('NAMESPACE'),
    name: env.string('NAME'),
    retry: {
      retries: env.int('K_SINK_RETRY', { default: 5, min: 0, max: 100 }) ?? 5,
      backoff: env.oneOf('K_SINK_BACKOFF_POLICY', ['exponential', 'linear'], 'exponential'),
      delayMs: env.isoDuration('K_SINK_BACKOFF_DELAY', 50),
      maxDelayMs: env.duration('K_SINK_BACKOFF_MAX', 60_000),
    },
    mode: env.oneOf('K_SINK_MODE', ['binary', 'structured'], 'binary'),
    maxInFlight: env.int('K_SINK_CONCURRENCY', { default: 64, min: 1, max: 4096 }) ?? 64,
    port,
    listenAddress: listenAddress !== undefined && isIP(listenAddress) !== 0 ? listenAddress : undefined,
    metricsPort,
    // LOG_LEVEL wins; otherwise the level Knative's config-logging hands the adapter.
    logLevel: env.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'], knative.logLevel ?? 'info'),
    shutdownGraceMs: env.duration('SHUTDOWN_GRACE_PERIOD', 25_000),
    knative,
    memoryLimitBytes,
    maxBufferedBytes: env.int('MAX_BUFFERED_BYTES', { default: limits.maxBufferedBytes, min: 1024 }) ?? limits.maxBufferedBytes,
    maxConnections: env.int('MAX_CONNECTIONS', { default: limits.maxConnections, min: 1 }) ?? limits.maxConnections,
  };
}

function joinPem(parts: ReadonlyArray<string | undefined>): string | undefined {
  const present = parts.filter((part): part is string => part !== undefined && part !== '');
  return present.length === 0 ? undefined : present.join('\n');
}

/**
 * 9090, except in a Knative Service's revision (Serving sets `K_REVISION` in the user container):
 * there queue-proxy shares the pod's network and holds 9090 and 9091 (knative/serving
 * pkg/apis/networking AutoscalingQueueMetricsPort, UserQueueMetricsPort), so the GitHubSource and
 * GitLabSource receive adapters would fail to bind it. 9092 is what TriggerMesh's reconcilers and the
 * GitLabSource controller set for the same reason.
 */
function defaultMetricsPort(env: Env): number {
  return env.has('K_REVISION') ? 9092 : 9090;
}
