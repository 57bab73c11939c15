// Public surface of @tributary/core. Adapters import from here only.
export { runAdapter, EXIT_CONFIG, type RunOptions } from './runtime/run-adapter.ts';
export type { Adapter, AdapterContext, CommandContext, EmitTarget } from './runtime/adapter.ts';
export { SinkClients } from './delivery/sink-clients.ts';
export type { Leadership, LeaderTerm } from './runtime/leadership.ts';

export { Env, type EnvVars, type Schema } from './config/env.ts';
export { readRuntimeConfig, type RuntimeConfig } from './config/runtime-config.ts';
export { readCeOverrides } from './config/overrides.ts';
export {
  parseGoDuration,
  parseIsoDuration,
  durationBoundsProblem,
  formatDuration,
  MAX_DURATION_MS,
  type DurationBounds,
} from './config/duration.ts';
export { GoFlags, type GoFlagKinds } from './config/go-flags.ts';
export { goUnquote } from './config/go-unquote.ts';
export { nearestName } from './config/nearest-name.ts';

export type { CloudEvent, Extensions, ExtensionValue, JsonValue, EventTypeInfo } from './event/cloudevent.ts';
export { CONTEXT_ATTRIBUTES, EXTENSION_NAME, isJsonMediaType, isCloudEventString } from './event/attributes.ts';
export { createEncoder, type ContentMode, type EncodedRequest, type Encoder } from './event/encode.ts';
export { percentEncodeHeaderValue, percentDecodeHeaderValue } from './event/percent-encode.ts';

export {
  SinkClient,
  createSinkConnection,
  type SinkClientOptions,
  type SinkConnection,
  type DeliveryResult,
} from './delivery/sink-client.ts';
export { isRetryableStatus, backoffDelay, jitteredBackoff, parseRetryAfter, type RetryPolicy } from './delivery/retry.ts';
export { TokenFile } from './delivery/token.ts';
export type { BearerToken } from './delivery/bearer-token.ts';
export { SinkTokens, readSinkTokens } from './oidc/sink-tokens.ts';
export type { OidcIdentity } from './oidc/token-request.ts';
export { findKubeAccess, readKubeAccess, SERVICE_ACCOUNT_DIR, type KubeAccess } from './kube/kube-access.ts';
export { Limiter } from './delivery/limiter.ts';

export { createLogger, type Logger, type LogLevel } from './observability/logger.ts';
export { createMetrics, type Metrics, type DeliveryMetrics } from './observability/metrics.ts';
export type { SinkMetrics, SinkScope } from './observability/sink-metrics.ts';
export {
  NO_TRACING,
  type Tracing,
  type TraceCarrier,
  type SpanOptions,
  type ActiveSpan,
  type DeliveryTracer,
  type AttemptSpan,
} from './observability/tracing.ts';
export { traceEach, callerTraceContext, cloudEventAttributes } from './observability/traced-emit.ts';
export { startTracing, resourceAttributes, type ServiceIdentity } from './observability/setup.ts';
export { readObservabilityConfig, type ObservabilityConfig } from './config/observability-config.ts';

export {
  mountWebhook,
  type WebhookIntake,
  type WebhookOutcome,
  type WebhookRequest,
  type WebhookRequestHead,
} from './http/webhook.ts';
export { readRawBody, type ReadBodyOptions } from './http/raw-body.ts';
export { BufferBudget, type BufferHold } from './http/buffer-budget.ts';
export { cgroupMemoryLimit, defaultIntakeLimits, type IntakeLimits } from './config/memory-limit.ts';
export { DeliveredIds } from './http/delivered-ids.ts';
export { safeEqual, secretMatcher } from './security/safe-equal.ts';

export { sameHookUrl, type HookBinding } from './hooks/hook-binding.ts';
export { reconcileHook, type ReconcileResult } from './hooks/reconcile-hook.ts';
export { reconcileHooks, DEFAULT_RESYNC_MS, type HookReconcilerOptions } from './hooks/hook-reconciler.ts';
export { removeHooks, type HookRemovalOptions } from './hooks/remove-hooks.ts';
export { createHookMetrics, type HookMetrics } from './hooks/hook-metrics.ts';
export { DEFAULT_HOOK_RETRY, type HookRetry } from './hooks/backoff.ts';

export { ConfigError, DeliveryError, HttpError, type ConfigProblem, type DeliveryFailureCode } from './errors.ts';
