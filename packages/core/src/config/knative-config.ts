import type { Env } from './env.ts';
import type { LogLevel } from '../observability/logger.ts';

/**
 * The Knative config variables a controller hands its receive adapter besides the sink contract
 * (knative/eventing `pkg/adapter/v2/config.go`, `pkg/reconciler/source/config_watcher.go`,
 * `pkg/adapter/mtping/adapter.go`). knative.dev/pkg treats them leniently: an empty value is unset,
 * a malformed one is logged and the default used. So a value here is never a startup failure,
 * only a warning (`env.warn`).
 *
 * `K_OBSERVABILITY_CONFIG`, `K_TRACING_CONFIG` and `K_METRICS_CONFIG` are read by the
 * observability setup; `K_LEADER_ELECTION_CONFIG` by @tributary/kube; `K_SOURCE_CONFIG` by the
 * apiserver adapter.
 */
export interface KnativeConfig {
  /** The level `K_LOGGING_CONFIG` asks for; `LOG_LEVEL` wins when set. */
  readonly logLevel: LogLevel | undefined;
  /** `SYSTEM_NAMESPACE`: where Knative's own components run (logged at startup). */
  readonly systemNamespace: string | undefined;
  /** `METRICS_DOMAIN` (`knative.dev/eventing`): logged at startup. */
  readonly metricsDomain: string | undefined;
  /** `K_NO_SHUTDOWN_AFTER` (0–59), mt-ping's "stop before this second of the minute". */
  readonly noShutdownAfterSeconds: number | undefined;
}

export function readKnativeConfig(env: Env, component: string): KnativeConfig {
  return {
    logLevel: readKnativeLogLevel(env, component),
    systemNamespace: env.string('SYSTEM_NAMESPACE'),
    metricsDomain: env.string('METRICS_DOMAIN'),
    noShutdownAfterSeconds: readNoShutdownAfter(env),
  };
}

/**
 * `K_LOGGING_CONFIG` is knative.dev/pkg `logging.ConfigToJSON`: a JSON object of strings,
 * `{"zap-logger-config":"{\"level\":\"info\",...}"}`, possibly with `loglevel.<component>` keys as
 * in the config-logging ConfigMap. The component's own `loglevel.` entry wins over the zap level.
 */
function readKnativeLogLevel(env: Env, component: string): LogLevel | undefined {
  const name = 'K_LOGGING_CONFIG';
  const raw = env.string(name);
  if (raw === undefined) return undefined;
  const config = parseStringMap(raw);
  if (config === undefined) {
    env.warn(name, 'is not a JSON object of strings; using the default log level');
    return undefined;
  }
  const componentLevel = config[`loglevel.${component}`];
  if (componentLevel !== undefined && componentLevel !== '') {
    const level = fromZapLevel(componentLevel);
    if (level !== undefined) return level;
    env.warn(name, `loglevel.${component} ${JSON.stringify(componentLevel)} is not a zap level; ignored`);
  }
  const zap = config['zap-logger-config'];
  if (zap === undefined || zap === '') return undefined;
  let zapLevel: unknown;
  try {
    zapLevel = (JSON.parse(zap) as { level?: unknown } | null)?.level;
  } catch {
    env.warn(name, 'zap-logger-config is not valid JSON; using the default log level');
    return undefined;
  }
  if (zapLevel === undefined) return undefined;
  const level = typeof zapLevel === 'string' ? fromZapLevel(zapLevel) : undefined;
  if (level === undefined) env.warn(name, `zap-logger-config level ${JSON.stringify(zapLevel)} is not a zap level; ignored`);
  return level;
}

function parseStringMap(raw: string): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed);
  return entries.every(([, v]) => typeof v === 'string') ? (parsed as Record<string, string>) : undefined;
}

/** zapcore levels (case-insensitive, as `Level.UnmarshalText`); the panic levels log as error. */
function fromZapLevel(value: string): LogLevel | undefined {
  const level = value.toLowerCase();
  if (level === 'debug' || level === 'info' || level === 'warn' || level === 'error') return level;
  if (level === 'dpanic' || level === 'panic' || level === 'fatal') return 'error';
  return undefined;
}

/** As mt-ping's `GetNoShutDownAfterValue`: an integer 0–59, otherwise logged and ignored. */
function readNoShutdownAfter(env: Env): number | undefined {
  const raw = env.string('K_NO_SHUTDOWN_AFTER');
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (/^\d+$/.test(raw) && seconds <= 59) return seconds;
  env.warn('K_NO_SHUTDOWN_AFTER', `must be a whole number of seconds from 0 to 59, got ${JSON.stringify(raw)}; ignored`);
  return undefined;
}
