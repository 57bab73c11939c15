import type { Env } from '@tributary/core';

export interface HeartbeatConfig {
  readonly podName: string;
  readonly podNamespace: string;
  readonly periodMs: number;
  readonly label: string;
  readonly msg: string;
  /** Send one beat and exit (Knative's `ONE_SHOT`). */
  readonly oneShot: boolean;
}

/** Env of Knative's cmd/heartbeats sample; POD_NAME/POD_NAMESPACE come from the downward API. */
export function readHeartbeatConfig(env: Env): HeartbeatConfig {
  return {
    podName: env.string('POD_NAME', { required: true }),
    podNamespace: env.string('POD_NAMESPACE', { required: true }),
    periodMs: env.duration('HEARTBEAT_PERIOD', 5_000, { min: 1 }),
    label: env.string('HEARTBEAT_LABEL') ?? '',
    msg: env.string('HEARTBEAT_MSG') ?? '',
    oneShot: env.bool('ONE_SHOT'),
  };
}
