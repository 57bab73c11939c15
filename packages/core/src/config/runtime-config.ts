import type { Env } from './env.ts';
import type { Extensions } from '../event/cloudevent.ts';
import type { ContentMode } from '../event/encode.ts';
import type { RetryPolicy } from '../delivery/retry.ts';
import type { LogLevel } from '../observability/logger.ts';
import { readCeOverrides } from './overrides.ts';

/** Everything of the Knative runtime contract (CONTRACTS §1) that core owns. */
export interface RuntimeConfig {
  /** Undefined only for components that are not sources (the display sink). */
  readonly sink: URL | undefined;
  readonly ceOverrides: Extensions;
  readonly sinkTimeoutMs: number;
  readonly caCerts: string | undefined;
  readonly audience: string | undefined;
  readonly oidcTokenFile: string;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly retry: RetryPolicy;
  readonly mode: ContentMode;
  readonly maxInFlight: number;
  readonly port: number;
  readonly metricsPort: number;
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
}

export interface RuntimeConfigOptions {
  /** False for components that receive events rather than send them. */
  readonly needsSink?: boolean;
}

export function readRuntimeConfig(env: Env, options: RuntimeConfigOptions = {}): RuntimeConfig {
  const sink = env.url('K_SINK', { required: options.needsSink ?? true });
  const caCerts = env.string('K_CA_CERTS');
  if (caCerts !== undefined && !caCerts.includes('-----BEGIN CERTIFICATE-----')) {
    env.problem('K_CA_CERTS', 'must hold PEM certificates (-----BEGIN CERTIFICATE-----)');
  }
  const port = env.int('PORT', { default: 8080, min: 0, max: 65535 }) ?? 8080;
  // METRICS_PROMETHEUS_PORT is knative.dev/pkg's name, set by the GitLabSource controller and by
  // TriggerMesh's reconcilers (9092, with a container port `metrics` for scraping). METRICS_PORT wins.
  const metricsPortName = env.has('METRICS_PORT') || !env.has('METRICS_PROMETHEUS_PORT') ? 'METRICS_PORT' : 'METRICS_PROMETHEUS_PORT';
  const metricsPort = env.int(metricsPortName, { default: 9090, min: 0, max: 65535 }) ?? 9090;
  if (port === metricsPort && port !== 0) env.problem(metricsPortName, `must differ from PORT (${port})`);
  return {
    sink,
    ceOverrides: readCeOverrides(env),
    // Knative treats a missing timeout as "none"; an unbounded wait hides a dead sink (CONTRACTS §1).
    sinkTimeoutMs: env.seconds('K_SINK_TIMEOUT', 30_000, { min: 1000 }),
    caCerts,
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
    metricsPort,
    logLevel: env.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    shutdownGraceMs: env.duration('SHUTDOWN_GRACE_PERIOD', 25_000),
  };
}
