import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { Webhooks } from '@octokit/webhooks';
import type { WebhookDefinition } from '@octokit/webhooks-examples';

// The package's entry point is a JSON file, which `require` reads directly.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];

export interface SampleResult {
  readonly ok: boolean;
  readonly message: string;
}

/** A real push delivery from GitHub's documented examples: a push to a branch. */
export const GITHUB_PUSH = (() => {
  const push = examples.find((definition) => definition.name === 'push');
  const example =
    push?.examples.find((e) => 'ref' in e && String(e.ref).startsWith('refs/heads/')) ?? push?.examples[0];
  if (example === undefined) throw new Error('@octokit/webhooks-examples has no push example');
  return example as { repository: { full_name: string } } & Record<string, unknown>;
})();

/** GitLab's documented Merge Request Hook payload (docs: user/project/integrations/webhook_events.md). */
export const GITLAB_MERGE_REQUEST = JSON.parse(
  readFileSync(new URL('./gitlab-merge-request.json', import.meta.url), 'utf8'),
) as { project: { web_url: string } } & Record<string, unknown>;

async function answer(adapter: string, response: Response): Promise<SampleResult> {
  const body = (await response.text()).slice(0, 300);
  return {
    ok: response.ok,
    message: `${adapter} answered ${response.status}${response.ok ? '' : `: ${body}`}`,
  };
}

/** Signed as GitHub signs deliveries: HMAC-SHA256 (and the legacy SHA-1) of the raw body. */
export async function sendGithubPush(url: string, secret: string): Promise<SampleResult> {
  const body = JSON.stringify(GITHUB_PUSH);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/tributary-playground',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-github-hook-id': '1',
      'x-hub-signature-256': await new Webhooks({ secret }).sign(body),
      'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
    },
    body,
  });
  return answer('the GitHub adapter', response);
}

/** Headers as GitLab 17.4+ sends them: a new delivery id per click, so none is a duplicate. */
export async function sendGitlabMergeRequest(url: string, token: string): Promise<SampleResult> {
  const delivery = randomUUID();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitLab/17.4.0',
      'x-gitlab-event': 'Merge Request Hook',
      'x-gitlab-token': token,
      'x-gitlab-instance': 'http://example.com',
      'x-gitlab-webhook-uuid': delivery,
      'x-gitlab-event-uuid': randomUUID(),
      'idempotency-key': delivery,
    },
    body: JSON.stringify(GITLAB_MERGE_REQUEST),
  });
  return answer('the GitLab adapter', response);
}

/**
 * An OSS object upload as Alibaba EventBridge pushes it: a CloudEvent whose data is the OSS record
 * logged in the EventBridge → Knative walkthrough (seed 003), attributes as docs/contracts.md §7 lists.
 */
export function ossObjectCreated(now = new Date()): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'acs.oss',
    type: 'oss:ObjectCreated:PutObject',
    subject: 'acs:oss:cn-hangzhou:1581204543170042:knative/demo.data',
    time: now.toISOString(),
    datacontenttype: 'application/json;charset=utf-8',
    aliyunaccountid: '1581204543170042',
    aliyunpublishtime: now.toISOString(),
    aliyuneventbusname: 'default',
    aliyunregionid: 'cn-hangzhou',
    aliyunoriginalaccountid: '1581204543170042',
    data: {
      eventVersion: '1.0',
      responseElements: { requestId: '63E21F5FEE852133319101AD' },
      eventSource: 'acs:oss',
      eventTime: now.toISOString(),
      requestParameters: { sourceIPAddress: '192.0.2.10' },
      eventName: 'ObjectCreated:PutObject',
      userIdentity: { principalId: '1118324452360952' },
      region: 'cn-hangzhou',
      oss: {
        bucket: {
          name: 'knative',
          arn: 'acs:oss:cn-hangzhou:1581204543170042:knative',
          virtualBucket: '',
          ownerIdentity: '1581204543170042',
        },
        ossSchemaVersion: '1.0',
        object: {
          size: 225496,
          objectMeta: { mimeType: 'application/octet-stream' },
          deltaSize: 0,
          eTag: 'B350C082843DAC7E9E634193437EBA30',
          key: 'demo.data',
        },
      },
    },
  };
}

export async function sendOssObjectCreated(url: string, token: string): Promise<SampleResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/cloudevents+json; charset=utf-8',
      'x-eventbridge-signature-token': token,
    },
    body: JSON.stringify(ossObjectCreated()),
  });
  return answer('the EventBridge adapter', response);
}

/** A JSON order message with one string attribute (it becomes the `sqsmsgorigin` extension). */
export async function sendSqsMessage(client: SQSClient, queueUrl: string): Promise<SampleResult> {
  const sent = await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify({
        order: Math.floor(Math.random() * 100_000),
        item: 'coffee',
        quantity: 2,
      }),
      MessageAttributes: { origin: { DataType: 'String', StringValue: 'tributary-playground' } },
    }),
  );
  return { ok: true, message: `queued message ${sent.MessageId ?? ''}; the SQS adapter picks it up` };
}
