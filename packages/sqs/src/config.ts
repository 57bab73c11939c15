import type { Env, RuntimeConfig } from '@tributary/core';
import { queueFromArn, queueFromUrl, type QueueAddress } from './queue-address.ts';

export const MESSAGE_PROCESSORS = ['default', 's3', 'eventbridge'] as const;
export type MessageProcessorName = (typeof MESSAGE_PROCESSORS)[number];
export const DATA_MODES = ['message', 'body'] as const;
export type DataMode = (typeof DATA_MODES)[number];

export interface SqsConfig {
  readonly queue: QueueAddress;
  readonly region: string;
  /** Emulator or VPC endpoint; always handed to the client when set (docs/contracts.md §8). */
  readonly endpoint: string | undefined;
  readonly processor: MessageProcessorName;
  readonly dataMode: DataMode;
  /** Undefined: use the queue's own VisibilityTimeout attribute. */
  readonly visibilityTimeoutSeconds: number | undefined;
  readonly waitTimeSeconds: number;
  /** Parallel long polls. */
  readonly receivers: number;
  /** Messages being delivered at once. */
  readonly maxInFlight: number;
  /** First redelivery delay after a failed delivery; doubles with each receive, up to the max. */
  readonly retryDelaySeconds: number;
  readonly retryDelayMaxSeconds: number;
  /** `source` of events unwrapped by the eventbridge processor (TriggerMesh's CE_SOURCE). */
  readonly eventBridgeSource: string | undefined;
  /** TriggerMesh's AWS_ASSUME_ROLE_ARN: the IAM role the SQS calls are made as. */
  readonly assumeRoleArn: string | undefined;
  /** Run the SDK on its own worker thread, beside the deliveries. */
  readonly ioThread: boolean;
}

/** SQS's ceiling for any visibility timeout: 12 hours. */
export const MAX_VISIBILITY_SECONDS = 43_200;

export function readSqsConfig(env: Env, runtime: RuntimeConfig): SqsConfig {
  const region = env.string('AWS_REGION');
  const queue = readQueue(env, region);
  const twelveHours = { max: MAX_VISIBILITY_SECONDS * 1000 };
  const visibilityMs = env.has('SQS_VISIBILITY_TIMEOUT')
    ? env.duration('SQS_VISIBILITY_TIMEOUT', 30_000, { min: 1000, ...twelveHours })
    : undefined;
  const retryDelayMs = env.duration('SQS_RETRY_DELAY', 1000, twelveHours);
  const retryDelayMaxMs = env.duration('SQS_RETRY_DELAY_MAX', 60_000, twelveHours);
  return {
    queue: queue ?? { url: '', arn: '', name: '', account: '', region, fifo: false },
    // The queue's own region wins: IRSA injects the cluster's AWS_REGION, which is wrong for a queue
    // in another region. AWS_REGION fills in only when the address does not name one (emulators).
    region: queue?.region ?? region ?? '',
    endpoint: readEndpoint(env),
    processor: env.oneOf('SQS_MESSAGE_PROCESSOR', MESSAGE_PROCESSORS, 'default'),
    dataMode: env.oneOf('SQS_DATA_MODE', DATA_MODES, 'message'),
    visibilityTimeoutSeconds: visibilityMs === undefined ? undefined : Math.round(visibilityMs / 1000),
    waitTimeSeconds: env.int('SQS_WAIT_TIME_SECONDS', { default: 20, min: 0, max: 20 }) ?? 20,
    receivers: env.int('SQS_RECEIVERS', { default: 4, min: 1, max: 100 }) ?? 4,
    maxInFlight:
      env.int('SQS_MAX_INFLIGHT', { default: runtime.maxInFlight, min: 1, max: 10_000 }) ??
      runtime.maxInFlight,
    retryDelaySeconds: Math.round(retryDelayMs / 1000),
    retryDelayMaxSeconds: Math.round(retryDelayMaxMs / 1000),
    eventBridgeSource: env.string('CE_SOURCE'),
    assumeRoleArn: readAssumeRoleArn(env),
    ioThread: env.bool('SQS_IO_THREAD', true),
  };
}

/**
 * SQS_QUEUE_URL or SQS_QUEUE_ARN (TriggerMesh's `ARN` is read too, so its Deployments carry over);
 * with both, they must name the same queue.
 */
function readQueue(env: Env, region: string | undefined): QueueAddress | undefined {
  const urlText = env.string('SQS_QUEUE_URL');
  const arnName = env.has('SQS_QUEUE_ARN') ? 'SQS_QUEUE_ARN' : 'ARN';
  const arnText = env.string(arnName);
  if (urlText === undefined && arnText === undefined) {
    env.problem('SQS_QUEUE_URL', 'set SQS_QUEUE_URL or SQS_QUEUE_ARN to name the queue');
    return undefined;
  }
  const fromArn = arnText === undefined ? undefined : queueFromArn(arnText);
  if (fromArn && !fromArn.ok) env.problem(arnName, fromArn.problem);
  const fromUrl =
    urlText === undefined
      ? undefined
      : queueFromUrl(urlText, region ?? (fromArn?.ok ? fromArn.address.region : undefined));
  if (fromUrl && !fromUrl.ok) env.problem('SQS_QUEUE_URL', fromUrl.problem);
  if (fromUrl?.ok && fromArn?.ok) {
    const { name, account } = fromArn.address;
    if (fromUrl.address.name !== name || fromUrl.address.account !== account) {
      env.problem(
        'SQS_QUEUE_URL',
        `names queue ${fromUrl.address.account}/${fromUrl.address.name} but ${arnName} names ${account}/${name}`,
      );
    }
    // The URL is what the API is called with; the ARN is the events' source.
    return { ...fromUrl.address, arn: fromArn.address.arn, region: fromArn.address.region };
  }
  if (fromUrl?.ok) return fromUrl.address;
  if (fromArn?.ok) return fromArn.address;
  return undefined;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

function readAssumeRoleArn(env: Env): string | undefined {
  const arn = env.string('AWS_ASSUME_ROLE_ARN');
  if (arn !== undefined && !ROLE_ARN.test(arn))
    env.problem('AWS_ASSUME_ROLE_ARN', `must be an IAM role ARN like arn:aws:iam::123456789012:role/name, got ${JSON.stringify(arn)}`);
  return arn;
}

/** SQS_ENDPOINT first, then the SDK's own names: service-specific, then global. */
function readEndpoint(env: Env): string | undefined {
  for (const name of ['SQS_ENDPOINT', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL']) {
    if (env.has(name)) return env.url(name)?.href.replace(/\/$/, '');
  }
  return undefined;
}
