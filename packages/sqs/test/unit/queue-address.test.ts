import { describe, expect, it } from 'vitest';
import { partitionOf, queueFromArn, queueFromUrl } from '../../src/queue-address.ts';

describe('queueFromArn', () => {
  it('derives the regional queue URL', () => {
    expect(queueFromArn('arn:aws:sqs:eu-west-1:123456789012:orders')).toEqual({
      ok: true,
      address: {
        url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
        arn: 'arn:aws:sqs:eu-west-1:123456789012:orders',
        name: 'orders',
        account: '123456789012',
        region: 'eu-west-1',
        fifo: false,
      },
    });
  });

  it('knows FIFO queues and the China partition', () => {
    const result = queueFromArn('arn:aws-cn:sqs:cn-north-1:123456789012:orders.fifo');
    expect(result.ok && result.address).toMatchObject({
      url: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/orders.fifo',
      fifo: true,
    });
  });

  it.each([
    ['another service', 'arn:aws:sns:us-east-1:123456789012:topic'],
    ['a short account', 'arn:aws:sqs:us-east-1:1234:orders'],
    ['no queue name', 'arn:aws:sqs:us-east-1:123456789012:'],
    ['a bad queue name', 'arn:aws:sqs:us-east-1:123456789012:or/ders'],
    ['not an ARN', 'orders'],
  ])('rejects %s', (_, arn) => {
    expect(queueFromArn(arn).ok).toBe(false);
  });
});

describe('queueFromUrl', () => {
  it.each([
    [
      'https://sqs.us-west-2.amazonaws.com/123456789012/orders',
      'us-west-2',
      'arn:aws:sqs:us-west-2:123456789012:orders',
    ],
    [
      'https://us-west-2.queue.amazonaws.com/123456789012/orders',
      'us-west-2',
      'arn:aws:sqs:us-west-2:123456789012:orders',
    ],
    [
      'https://queue.amazonaws.com/123456789012/orders',
      'us-east-1',
      'arn:aws:sqs:us-east-1:123456789012:orders',
    ],
    [
      'https://sqs.cn-northwest-1.amazonaws.com.cn/123456789012/orders',
      'cn-northwest-1',
      'arn:aws-cn:sqs:cn-northwest-1:123456789012:orders',
    ],
    [
      'https://sqs.us-gov-west-1.amazonaws.com/123456789012/orders',
      'us-gov-west-1',
      'arn:aws-us-gov:sqs:us-gov-west-1:123456789012:orders',
    ],
    [
      'https://vpce-0a1b2c3d-4e5f.sqs.eu-central-1.vpce.amazonaws.com/123456789012/orders',
      'eu-central-1',
      'arn:aws:sqs:eu-central-1:123456789012:orders',
    ],
    [
      'http://sqs.us-east-1.localhost:4566/000000000000/orders',
      'us-east-1',
      'arn:aws:sqs:us-east-1:000000000000:orders',
    ],
  ])('%s is in %s', (url, region, arn) => {
    const result = queueFromUrl(url, undefined);
    expect(result.ok && result.address).toMatchObject({ region, arn, url });
  });

  it('takes the region from AWS_REGION when the host does not name one', () => {
    const result = queueFromUrl('http://localhost:9324/000000000000/orders', 'ap-south-1');
    expect(result.ok && result.address.arn).toBe('arn:aws:sqs:ap-south-1:000000000000:orders');
  });

  it.each([
    ['no region anywhere', 'http://localhost:9324/000000000000/orders', /set AWS_REGION/],
    ['no account', 'https://sqs.us-east-1.amazonaws.com/orders', /12-digit account/],
    ['extra path', 'https://sqs.us-east-1.amazonaws.com/123456789012/orders/more', /12-digit account/],
    ['not a URL', 'sqs orders', /absolute URL/],
    ['another scheme', 'ftp://sqs.us-east-1.amazonaws.com/123456789012/orders', /http or https/],
  ])('rejects %s', (_, url, problem) => {
    const result = queueFromUrl(url, undefined);
    expect(result.ok ? '' : result.problem).toMatch(problem);
  });
});

describe('partitionOf', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('%s → %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});
