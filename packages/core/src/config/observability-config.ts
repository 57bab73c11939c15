import type { Env } from './env.ts';

/** What core's metrics and traces are configured with (OTEL_*, Knative's K_*_CONFIG). */
export interface ObservabilityConfig {
  /** Knative's `resource_group` metric label (knative/eventing pkg/adapter/v2 config.go, K_RESOURCE_GROUP). */
  readonly resourceGroup: string;
}

export function readObservabilityConfig(env: Env): ObservabilityConfig {
  return {
    resourceGroup: env.string('K_RESOURCE_GROUP', { default: 'adapter.sources.knative.dev' }),
  };
}
