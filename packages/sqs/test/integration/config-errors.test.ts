import { describe, expect, it } from 'vitest';
import { adapterEnv, bundlePath, startProcess } from '@tributary/testkit';

async function run(extra: Record<string, string>) {
  const env = await adapterEnv('http://127.0.0.1:9/', { AWS_REGION: 'us-east-1', ...extra });
  const proc = startProcess(bundlePath('sqs'), env);
  const exit = await proc.exited;
  return { code: exit.code, stderr: proc.stderr() };
}

describe('sqs adapter refuses a bad configuration before doing anything', () => {
  it('exits 78 when neither SQS_QUEUE_URL nor SQS_QUEUE_ARN is set', async () => {
    const { code, stderr } = await run({});
    expect(code).toBe(78);
    expect(stderr).toMatch(/SQS_QUEUE_URL: set SQS_QUEUE_URL or SQS_QUEUE_ARN/);
  });

  it('exits 78 naming a malformed ARN', async () => {
    const { code, stderr } = await run({ SQS_QUEUE_ARN: 'arn:aws:sns:us-east-1:123456789012:topic' });
    expect(code).toBe(78);
    expect(stderr).toMatch(/SQS_QUEUE_ARN: must look like arn:aws:sqs:/);
  });

  it('exits 78 naming an unknown processor, with every other problem in the same message', async () => {
    const { code, stderr } = await run({
      SQS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
      SQS_MESSAGE_PROCESSOR: 'kinesis',
      SQS_WAIT_TIME_SECONDS: '30',
    });
    expect(code).toBe(78);
    expect(stderr).toMatch(/SQS_MESSAGE_PROCESSOR: must be one of default, s3, eventbridge, got "kinesis"/);
    expect(stderr).toMatch(/SQS_WAIT_TIME_SECONDS: must be at most 20/);
  });
});
