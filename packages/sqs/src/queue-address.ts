/**
 * A queue named by URL or by ARN, with the other one derived, so a user can give whichever the
 * console showed them. TriggerMesh takes only an ARN and looks the URL up with GetQueueUrl, which
 * needs one more IAM permission and one more round trip; both forms are deterministic, so we derive.
 */
export interface QueueAddress {
  readonly url: string;
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  /** Undefined when the URL does not say (an emulator on localhost). */
  readonly region: string | undefined;
  readonly fifo: boolean;
}

/** SQS queue names: 1–80 of `[A-Za-z0-9_-]`, FIFO queues end in `.fifo`. */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const ACCOUNT = /^\d{12}$/;
const ARN = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([^:]+)$/;
/** `sqs.<region>.amazonaws.com`, `sqs.<region>.api.aws`, `vpce-….sqs.<region>.vpce.amazonaws.com`, emulators' `sqs.<region>.localhost`. */
const SQS_HOST_REGION = /(?:^|\.)sqs\.([a-z]{2}(?:-[a-z]+)+-\d+)\./;
/** The legacy `<region>.queue.amazonaws.com` and `queue.amazonaws.com` (us-east-1). */
const LEGACY_HOST_REGION = /^(?:([a-z]{2}(?:-[a-z]+)+-\d+)\.)?queue\.amazonaws\.com$/;

export type AddressResult = { ok: true; address: QueueAddress } | { ok: false; problem: string };

export function queueFromArn(arn: string): AddressResult {
  const match = ARN.exec(arn);
  if (match === null) {
    return {
      ok: false,
      problem: `must look like arn:aws:sqs:<region>:<12-digit account>:<queue name>, got ${JSON.stringify(arn)}`,
    };
  }
  const [, partition = 'aws', region = '', account = '', name = ''] = match;
  if (!QUEUE_NAME.test(name)) return { ok: false, problem: `names an invalid queue ${JSON.stringify(name)}` };
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return {
    ok: true,
    address: {
      url: `https://sqs.${region}.${domain}/${account}/${name}`,
      arn,
      name,
      account,
      region,
      fifo: name.endsWith('.fifo'),
    },
  };
}

/** `fallbackRegion` (AWS_REGION) is used when the host does not name one, as with most emulators. */
export function queueFromUrl(text: string, fallbackRegion: string | undefined): AddressResult {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: `must be an absolute URL, got ${JSON.stringify(text)}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, problem: `must use http or https, got ${url.protocol}` };
  const [account = '', name = '', ...rest] = url.pathname.split('/').filter((part) => part !== '');
  if (!ACCOUNT.test(account) || !QUEUE_NAME.test(name) || rest.length > 0) {
    return {
      ok: false,
      problem: `must end in /<12-digit account>/<queue name>, got ${JSON.stringify(url.pathname)}`,
    };
  }
  const host = url.hostname.toLowerCase();
  const legacy = LEGACY_HOST_REGION.exec(host);
  const region =
    SQS_HOST_REGION.exec(host)?.[1] ?? (legacy ? (legacy[1] ?? 'us-east-1') : undefined) ?? fallbackRegion;
  if (region === undefined) return { ok: false, problem: 'does not name a region; set AWS_REGION' };
  const arn = `arn:${partitionOf(region)}:sqs:${region}:${account}:${name}`;
  return {
    ok: true,
    address: { url: url.href.replace(/\/$/, ''), arn, name, account, region, fifo: name.endsWith('.fifo') },
  };
}

/** The ARN partition of a region (AWS "ARN format" docs). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}
