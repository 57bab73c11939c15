import { describe, expect, it } from 'vitest';
import { Env, readRuntimeConfig } from '@tributary/core';
import { readLeaderElectionConfig } from '../src/index.ts';

function read(vars: Record<string, string>) {
  const env = new Env({ K_SINK: 'http://sink', NAMESPACE: 'knative-eventing', K_TRUST_BUNDLES_DIR: '/nonexistent', ...vars });
  const config = readLeaderElectionConfig(env, readRuntimeConfig(env), 'ping');
  return { env, config, timing: config && [config.leaseDurationMs, config.renewDeadlineMs, config.retryPeriodMs] };
}

describe('K_LEADER_ELECTION_CONFIG', () => {
  it('reads the Go-marshalled ComponentConfig knative/eventing hands its adapters (nanoseconds)', () => {
    // adapter.LeaderElectionComponentConfigToJSON(&kle.ComponentConfig{...}) at knative/eventing knative-v1.22.2.
    const value =
      '{"Component":"pingsource-mt-adapter","Buckets":1,"LeaseDuration":60000000000,"RenewDeadline":40000000000,' +
      '"RetryPeriod":10000000000,"Identity":"","LeaseNamesPrefixMapping":null}';
    const { env, timing } = read({ K_LEADER_ELECTION_CONFIG: value });
    expect([env.problems, env.warnings]).toEqual([[], []]);
    expect(timing).toEqual([60_000, 40_000, 10_000]);
  });

  it('reads the config-leader-election ConfigMap keys, new and legacy, as Go duration strings', () => {
    expect(read({ K_LEADER_ELECTION_CONFIG: '{"lease-duration":"30s","renew-deadline":"20s","retry-period":"4s"}' }).timing).toEqual([
      30_000, 20_000, 4_000,
    ]);
    expect(read({ K_LEADER_ELECTION_CONFIG: '{"leaseDuration":"30s","renewDeadline":"20s","retryPeriod":"4s"}' }).timing).toEqual([
      30_000, 20_000, 4_000,
    ]);
  });

  it('treats an empty value as unset: no leader election, as mt-ping\'s manifest leaves it', () => {
    expect(read({ K_LEADER_ELECTION_CONFIG: '' }).config).toBeUndefined();
  });

  it.each([
    ['not JSON', 'leaderelection'],
    ['an array', '[]'],
    ['a bad duration', '{"LeaseDuration":"soon"}'],
    ['inconsistent timing', '{"LeaseDuration":1000000000,"RenewDeadline":5000000000}'],
  ])('logs %s as a warning and elects with the defaults', (_what, value) => {
    const { env, timing } = read({ K_LEADER_ELECTION_CONFIG: value });
    expect(env.problems).toEqual([]);
    expect(env.warnings.map((w) => w.variable)).toEqual(['K_LEADER_ELECTION_CONFIG']);
    expect(timing).toEqual([15_000, 10_000, 2_000]);
  });

  it('keeps the defaults for zero or absent fields, as Go leaves zero values', () => {
    const { env, timing } = read({ K_LEADER_ELECTION_CONFIG: '{"Component":"x","Buckets":1,"LeaseDuration":0}' });
    expect([env.problems, env.warnings, timing]).toEqual([[], [], [15_000, 10_000, 2_000]]);
  });
});
