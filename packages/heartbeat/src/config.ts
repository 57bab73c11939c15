import { durationBoundsProblem, GoFlags, goUnquote, parseGoDuration, type Env, type GoFlagKinds, type RuntimeConfig } from '@tributary/core';
import { HEARTBEAT_TYPE } from './to-cloudevent.ts';

export interface HeartbeatConfig {
  readonly podName: string;
  readonly podNamespace: string;
  readonly periodMs: number;
  readonly label: string;
  readonly msg: string;
  /** Send one beat and exit (Knative's `ONE_SHOT`). */
  readonly oneShot: boolean;
  /** `--eventType`; Knative's default type otherwise. */
  readonly eventType: string;
  /** `--eventSource`; undefined means the pod's heartbeats URL. */
  readonly eventSource: string | undefined;
  /** `--sink`, used only when K_SINK is unset (K_SINK wins, as in cmd/heartbeats). */
  readonly sink: URL | undefined;
  /** `--cacerts`, used only when K_CA_CERTS is unset. */
  readonly caCerts: string | undefined;
}

/** The flags of knative/eventing `cmd/heartbeats/main.go` (knative-v1.22.2); there is no one-shot flag. */
export const HEARTBEATS_FLAGS: GoFlagKinds = {
  eventSource: 'string',
  eventType: 'string',
  sink: 'string',
  cacerts: 'string',
  label: 'string',
  period: 'string',
  msg: 'string',
};

const DEFAULT_PERIOD_MS = 5_000;

/**
 * Env of Knative's cmd/heartbeats sample (POD_NAME/POD_NAMESPACE from the downward API, ONE_SHOT)
 * plus its flags, which a ContainerSource passes as `args` (`--period=1`). A flag wins over this
 * package's own HEARTBEAT_* variable; Knative's K_SINK and K_CA_CERTS win over `--sink`/`--cacerts`.
 */
export function readHeartbeatConfig(env: Env, _runtime?: RuntimeConfig, args: readonly string[] = []): HeartbeatConfig {
  const flags = new GoFlags(args, HEARTBEATS_FLAGS, env);
  return {
    podName: env.string('POD_NAME', { required: true }),
    podNamespace: env.string('POD_NAMESPACE', { required: true }),
    periodMs: readPeriod(env, flags.string('period')),
    label: readLabel(env, flags.string('label')),
    msg: flags.string('msg') ?? env.string('HEARTBEAT_MSG') ?? '',
    oneShot: env.bool('ONE_SHOT'),
    eventType: nonEmpty(flags.string('eventType')) ?? HEARTBEAT_TYPE,
    eventSource: nonEmpty(flags.string('eventSource')),
    sink: readSinkFlag(env, flags.string('sink')),
    caCerts: readCaCertsFlag(env, flags.string('cacerts')),
  };
}

/** Go duration or whole seconds; an empty `--period=` means the 5 s default, as in cmd/heartbeats. */
function readPeriod(env: Env, flag: string | undefined): number {
  if (flag === undefined) return env.duration('HEARTBEAT_PERIOD', DEFAULT_PERIOD_MS, { min: 1 });
  if (flag.trim() === '') return DEFAULT_PERIOD_MS;
  const ms = parseGoDuration(flag);
  const problem =
    ms === undefined
      ? `must be a Go duration like 5s or 250ms, or whole seconds, got ${JSON.stringify(flag)}`
      : durationBoundsProblem(ms, { min: 1 });
  if (problem === undefined && ms !== undefined) return ms;
  env.problem('-period', problem ?? 'invalid');
  return DEFAULT_PERIOD_MS;
}

/** cmd/heartbeats unquotes a label that starts with `"` (strconv.Unquote). */
function readLabel(env: Env, flag: string | undefined): string {
  if (flag === undefined) return env.string('HEARTBEAT_LABEL') ?? '';
  if (!flag.startsWith('"')) return flag;
  const unquoted = goUnquote(flag);
  // Go would silently send an empty label; a clear error is more useful.
  if (unquoted === undefined) env.problem('-label', `starts with " but is not a valid Go quoted string: ${flag}`);
  return unquoted ?? '';
}

function readSinkFlag(env: Env, flag: string | undefined): URL | undefined {
  const value = nonEmpty(flag);
  if (env.has('K_SINK')) return undefined;
  if (value === undefined) {
    env.problem('K_SINK', 'required but not set (or pass --sink)');
    return undefined;
  }
  if (!URL.canParse(value) || !['http:', 'https:'].includes(new URL(value).protocol)) {
    env.problem('-sink', `must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
    return undefined;
  }
  return new URL(value);
}

function readCaCertsFlag(env: Env, flag: string | undefined): string | undefined {
  const value = nonEmpty(flag);
  if (value === undefined || env.has('K_CA_CERTS')) return undefined;
  if (!value.includes('-----BEGIN CERTIFICATE-----'))
    env.problem('-cacerts', 'must hold PEM certificates (-----BEGIN CERTIFICATE-----)');
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
