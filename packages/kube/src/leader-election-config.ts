import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { durationBoundsProblem, parseGoDuration, type Env, type RuntimeConfig } from '@tributary/core';

export interface LeaderElectionConfig {
  readonly leaseName: string;
  readonly leaseNamespace: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

// client-go's and Knative's defaults.
const DEFAULTS = { leaseDuration: 15_000, renewDeadline: 10_000, retryPeriod: 2_000 };

/**
 * `LEADER_ELECTION=true` with defaults, or Knative's `K_LEADER_ELECTION_CONFIG`. Undefined when
 * neither is set (an empty `K_LEADER_ELECTION_CONFIG`, as mt-ping's manifest has, is unset).
 */
export function readLeaderElectionConfig(env: Env, runtime: RuntimeConfig, component: string): LeaderElectionConfig | undefined {
  const knative = env.string('K_LEADER_ELECTION_CONFIG');
  if (!env.bool('LEADER_ELECTION') && knative === undefined) return undefined;
  const timing = knative === undefined ? { ...DEFAULTS } : readKnativeTiming(env, knative);
  const namespace = env.string('LEADER_ELECTION_NAMESPACE') ?? runtime.namespace ?? env.string('POD_NAMESPACE');
  if (namespace === undefined) env.problem('NAMESPACE', 'leader election needs the namespace for its Lease (NAMESPACE or POD_NAMESPACE)');
  const sourceName = runtime.name ?? env.string('POD_NAME')?.replace(/-[a-z0-9]+-[a-z0-9]+$/, '') ?? 'default';
  return {
    leaseName: env.string('LEADER_ELECTION_LEASE_NAME') ?? `tributary-${component}-${sourceName}`.slice(0, 63),
    leaseNamespace: namespace ?? '',
    identity: env.string('POD_NAME') ?? `${hostname()}-${randomUUID().slice(0, 8)}`,
    leaseDurationMs: timing.leaseDuration,
    renewDeadlineMs: timing.renewDeadline,
    retryPeriodMs: timing.retryPeriod,
  };
}

const KEYS = {
  leaseDuration: ['leaseduration', 'lease-duration'],
  renewDeadline: ['renewdeadline', 'renew-deadline'],
  retryPeriod: ['retryperiod', 'retry-period'],
} as const;

/**
 * The shapes knative.dev/pkg and eventing serialise: `LeaderElectionComponentConfigToJSON`
 * (Go-marshalled `ComponentConfig`: `{"Component":"…","Buckets":1,"LeaseDuration":15000000000,…}`,
 * durations in nanoseconds, keys matched case-insensitively as Go's json does) and the
 * config-leader-election ConfigMap's keys (`lease-duration: "15s"`, legacy `leaseDuration`).
 * Knative logs a malformed value and carries on with the defaults; so does this: a warning, not a
 * startup failure. Only a duration past Node's timer limit is refused.
 */
function readKnativeTiming(env: Env, raw: string): typeof DEFAULTS {
  const name = 'K_LEADER_ELECTION_CONFIG';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    env.warn(name, `is not valid JSON (${(error as Error).message}); using the default lease timing`);
    return { ...DEFAULTS };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    env.warn(name, 'is not a JSON object; using the default lease timing');
    return { ...DEFAULTS };
  }
  const byKey = new Map(Object.entries(parsed).map(([key, value]) => [key.toLowerCase(), value as unknown]));
  const timing = { ...DEFAULTS };
  for (const [field, keys] of Object.entries(KEYS) as [keyof typeof DEFAULTS, readonly string[]][]) {
    const value = keys.map((key) => byKey.get(key)).find((v) => v !== undefined && v !== null && v !== '' && v !== 0);
    if (value === undefined) continue;
    const ms = toMs(value);
    if (ms === undefined) {
      env.warn(name, `${field} ${JSON.stringify(value)} is not a duration; using ${DEFAULTS[field]} ms`);
      continue;
    }
    // A well-formed duration past Node's timer limit (core's MAX_DURATION_MS) would fire at once:
    // refused like every duration variable, unlike a malformed value, which Knative ignores.
    const problem = durationBoundsProblem(ms, { min: 1 });
    if (problem !== undefined) env.problem(name, `${field} ${problem}`);
    else timing[field] = ms;
  }
  if (!(timing.leaseDuration > timing.renewDeadline && timing.renewDeadline > timing.retryPeriod)) {
    env.warn(name, 'needs leaseDuration > renewDeadline > retryPeriod; using the default lease timing');
    return { ...DEFAULTS };
  }
  return timing;
}

/** A Go `time.Duration` as JSON (nanoseconds) or as text (`15s`). */
function toMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value / 1e6;
  if (typeof value === 'string') {
    const ms = parseGoDuration(value);
    return ms !== undefined && ms > 0 ? ms : undefined;
  }
  return undefined;
}
