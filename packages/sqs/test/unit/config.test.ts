import { describe, expect, it } from 'vitest';
import { ConfigError, Env, readRuntimeConfig } from '@tributary/core';
import { readSqsConfig } from '../../src/config.ts';

function read(vars: Record<string, string>) {
  const env = new Env({ K_SINK: 'http://127.0.0.1:8080/', ...vars });
  const config = readSqsConfig(env, readRuntimeConfig(env));
  return {
    config,
    problems: env.problems.map((p) => `${p.variable}: ${p.message}`),
    assert: () => env.assertValid(),
  };
}

describe('readSqsConfig', () => {
  it('reads a queue URL with the defaults', () => {
    const { config, problems } = read({
      SQS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
    });
    expect(problems).toEqual([]);
    expect(config).toEqual({
      queue: {
        url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
        arn: 'arn:aws:sqs:eu-west-1:123456789012:orders',
        name: 'orders',
        account: '123456789012',
        region: 'eu-west-1',
        fifo: false,
      },
      region: 'eu-west-1',
      endpoint: undefined,
      processor: 'default',
      dataMode: 'message',
      visibilityTimeoutSeconds: undefined,
      waitTimeSeconds: 20,
      receivers: 4,
      maxInFlight: 64,
      retryDelaySeconds: 1,
      retryDelayMaxSeconds: 60,
      eventBridgeSource: undefined,
      ioThread: true,
    });
  });

  it("accepts TriggerMesh's ARN variable and the queue's own region over an injected AWS_REGION", () => {
    const { config, problems } = read({
      ARN: 'arn:aws:sqs:eu-central-1:123456789012:orders',
      AWS_REGION: 'us-east-1',
    });
    expect(problems).toEqual([]);
    expect(config.queue.url).toBe('https://sqs.eu-central-1.amazonaws.com/123456789012/orders');
    expect(config.region).toBe('eu-central-1');
  });

  it('reads the env TriggerMesh\'s AWSSQSSource reconciler (v1.27.0) sets, whole', () => {
    const { config, problems } = read({
      ARN: 'arn:aws:sqs:eu-central-1:123456789012:orders',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      AWS_ASSUME_ROLE_ARN: 'arn:aws:iam::123456789012:role/path/sqs-reader',
      AWS_ENDPOINT_URL: 'http://localstack:4566',
      SQS_MESSAGE_PROCESSOR: 's3',
      NAMESPACE: 'demo',
      NAME: 'orders',
      K_COMPONENT: 'awssqssource',
      K_SINK_TIMEOUT: '30',
      METRICS_PROMETHEUS_PORT: '9092',
    });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      assumeRoleArn: 'arn:aws:iam::123456789012:role/path/sqs-reader',
      endpoint: 'http://localstack:4566',
      processor: 's3',
      region: 'eu-central-1',
    });
  });

  it('refuses an AWS_ASSUME_ROLE_ARN that is not an IAM role ARN', () => {
    const { problems } = read({ ARN: 'arn:aws:sqs:eu-central-1:123456789012:q', AWS_ASSUME_ROLE_ARN: 'sqs-reader' });
    expect(problems).toEqual([expect.stringMatching(/^AWS_ASSUME_ROLE_ARN: must be an IAM role ARN/)]);
  });

  it('reads every tuning variable', () => {
    const { config, problems } = read({
      SQS_QUEUE_ARN: 'arn:aws:sqs:us-east-1:000000000000:orders.fifo',
      SQS_QUEUE_URL: 'http://sqs.us-east-1.localhost:4566/000000000000/orders.fifo',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566/',
      SQS_MESSAGE_PROCESSOR: 'eventbridge',
      CE_SOURCE: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
      SQS_DATA_MODE: 'body',
      SQS_VISIBILITY_TIMEOUT: '2m',
      SQS_WAIT_TIME_SECONDS: '5',
      SQS_RECEIVERS: '8',
      SQS_MAX_INFLIGHT: '200',
      SQS_RETRY_DELAY: '0',
      SQS_RETRY_DELAY_MAX: '10s',
    });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      queue: {
        url: 'http://sqs.us-east-1.localhost:4566/000000000000/orders.fifo',
        arn: 'arn:aws:sqs:us-east-1:000000000000:orders.fifo',
        fifo: true,
      },
      endpoint: 'http://127.0.0.1:4566',
      processor: 'eventbridge',
      eventBridgeSource: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
      dataMode: 'body',
      visibilityTimeoutSeconds: 120,
      waitTimeSeconds: 5,
      receivers: 8,
      maxInFlight: 200,
      retryDelaySeconds: 0,
      retryDelayMaxSeconds: 10,
    });
  });

  it('prefers SQS_ENDPOINT, then AWS_ENDPOINT_URL_SQS, then AWS_ENDPOINT_URL', () => {
    const queue = { SQS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders' };
    expect(
      read({ ...queue, AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_SQS: 'http://b:2' }).config.endpoint,
    ).toBe('http://b:2');
    expect(
      read({ ...queue, AWS_ENDPOINT_URL_SQS: 'http://b:2', SQS_ENDPOINT: 'http://c:3' }).config.endpoint,
    ).toBe('http://c:3');
  });

  it('collects every problem at once', () => {
    const { problems, assert } = read({
      SQS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
      SQS_QUEUE_ARN: 'arn:aws:sqs:eu-west-1:123456789012:other',
      SQS_MESSAGE_PROCESSOR: 'kinesis',
      SQS_DATA_MODE: 'raw',
      SQS_VISIBILITY_TIMEOUT: '13h',
      SQS_WAIT_TIME_SECONDS: '21',
      SQS_RECEIVERS: '0',
      SQS_ENDPOINT: 'localhost:4566',
    });
    expect(problems).toEqual([
      'SQS_QUEUE_URL: names queue 123456789012/orders but SQS_QUEUE_ARN names 123456789012/other',
      'SQS_VISIBILITY_TIMEOUT: must be at most 12h, got 13h',
      'SQS_ENDPOINT: must use http or https, got localhost:',
      'SQS_MESSAGE_PROCESSOR: must be one of default, s3, eventbridge, got "kinesis"',
      'SQS_DATA_MODE: must be one of message, body, got "raw"',
      'SQS_WAIT_TIME_SECONDS: must be at most 20',
      'SQS_RECEIVERS: must be at least 1',
    ]);
    expect(assert).toThrow(ConfigError);
  });

  it('requires a queue, and a region when nothing names one', () => {
    expect(read({}).problems).toEqual([
      'SQS_QUEUE_URL: set SQS_QUEUE_URL or SQS_QUEUE_ARN to name the queue',
    ]);
    expect(read({ SQS_QUEUE_URL: 'http://localhost:9324/000000000000/orders' }).problems).toEqual([
      'SQS_QUEUE_URL: does not name a region; set AWS_REGION',
    ]);
  });
});
