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
 * `LEADER_ELECTION=true` with defaults, or Knative's `K_LEADER_ELECTION_CONFIG` JSON
 * (`{"leaseDuration":..,"renewDeadline":..,"retryPeriod":..}`, durations as Go strings like "15s"
 * or as nanoseconds, the way Go marshals `time.Duration`). Undefined when neither is set.
 */
export function readLeaderElectionConfig(env: Env, runtime: RuntimeConfig, component: string): LeaderElectionConfig | undefined {
  const knative = env.string('K_LEADER_ELECTION_CONFIG');
  if (!env.bool('LEADER_ELECTION') && knative === undefined) return undefined;
  const timing = { ...DEFAULTS };
  if (knative !== undefined) {
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(knative) as Record<string, unknown>;
    } catch (error) {
      env.problem('K_LEADER_ELECTION_CONFIG', `is not valid JSON: ${(error as Error).message}`);
    }
    for (const key of ['leaseDuration', 'renewDeadline', 'retryPeriod'] as const) {
      if (parsed[key] === undefined) continue;
      const ms = toMs(parsed[key]);
      // The same bound as every duration variable (core's MAX_DURATION_MS): these feed timers.
      const problem = ms === undefined ? 'must be a duration like "15s" or nanoseconds' : durationBoundsProblem(ms, { min: 1 });
      if (problem !== undefined) env.problem('K_LEADER_ELECTION_CONFIG', `${key} ${problem}`);
      else if (ms !== undefined) timing[key] = ms;
    }
  }
  if (!(timing.leaseDuration > timing.renewDeadline && timing.renewDeadline > timing.retryPeriod)) {
    env.problem('K_LEADER_ELECTION_CONFIG', 'need leaseDuration > renewDeadline > retryPeriod');
  }
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

function toMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value / 1e6;
  if (typeof value === 'string') return parseGoDuration(value);
  return undefined;
}
