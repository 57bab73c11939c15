import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePath, startProcess, startRecordingSink, type RecordingSink } from '@tributary/testkit';
import { sendAll, sqsAdapterEnv, startQueueWorld, waitForEmptyQueue, type QueueWorld } from './queue-world.ts';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/sqs-reader';

/** STS AssumeRole as the AWS Query protocol answers it. */
function assumeRoleResponse(): string {
  const expiration = new Date(Date.now() + 3_600_000).toISOString();
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAASSUMEDROLE</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey>
<SessionToken>assumed-session</SessionToken><Expiration>${expiration}</Expiration></Credentials>
<AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/sqs-reader/s</Arn></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The access key id a SigV4 Authorization header was signed with. */
const keyId = (headers: IncomingHttpHeaders) => /Credential=([^/]+)\//.exec(headers.authorization ?? '')?.[1];

// TriggerMesh's AWSSQSSource with spec.auth.credentials.assumeIamRole: the reconciler
// (triggermesh/triggermesh pkg/sources/reconciler/aws.go, v1.27.0) sets AWS_ASSUME_ROLE_ARN beside the keys.
describe('sqs adapter with AWS_ASSUME_ROLE_ARN', () => {
  let world: QueueWorld;
  let sink: RecordingSink;
  const stsCalls: { body: string; keyId: string | undefined }[] = [];
  const sqsKeyIds = new Set<string | undefined>();
  let sts: Server;
  let proxy: Server;

  beforeAll(async () => {
    world = await startQueueWorld();
    sink = await startRecordingSink();
    sts = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        stsCalls.push({ body, keyId: keyId(req.headers) });
        res.writeHead(200, { 'content-type': 'text/xml' }).end(assumeRoleResponse());
      });
    });
    // Records which key signed each SQS call, and passes it on to fauxqs.
    const target = new URL(world.server.address);
    proxy = createServer((req, res) => {
      sqsKeyIds.add(keyId(req.headers));
      const upstream = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      // Long polls are cut when the test stops the adapter and fauxqs.
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
  });

  afterAll(async () => {
    sts.close();
    proxy.closeAllConnections();
    proxy.close();
    await sink.close();
    await world.close();
  });

  it('assumes the role with the given keys and makes every SQS call as the role', async () => {
    const { queueUrl, queueArn } = world.server.createQueue('assumed');
    await sendAll(world.sqs, queueUrl, [{ MessageBody: '{"n":1}' }]);
    const env = await sqsAdapterEnv(world, sink.url, {
      ARN: queueArn,
      AWS_ASSUME_ROLE_ARN: ROLE_ARN,
      AWS_ENDPOINT_URL: await listen(proxy),
      AWS_ENDPOINT_URL_STS: await listen(sts),
    });
    const proc = startProcess(bundlePath('sqs'), env);
    try {
      const [event] = await sink.waitForEvents(1, 15_000);
      expect(event?.attributes).toMatchObject({ type: 'com.amazon.sqs.message', source: queueArn });
      await waitForEmptyQueue(world.sqs, queueUrl);
    } finally {
      await proc.stop();
    }
    expect(stsCalls.length).toBeGreaterThanOrEqual(1);
    const call = new URLSearchParams(stsCalls[0]?.body);
    expect(call.get('Action')).toBe('AssumeRole');
    expect(call.get('RoleArn')).toBe(ROLE_ARN);
    expect(call.get('RoleSessionName')).toMatch(/^tributary-sqs-\d+$/);
    // STS was called with the pod's keys; SQS only ever with the role's.
    expect(stsCalls[0]?.keyId).toBe(env.AWS_ACCESS_KEY_ID);
    expect([...sqsKeyIds]).toEqual(['ASIAASSUMEDROLE']);
  });
});
