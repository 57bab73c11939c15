import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { Webhooks } from '@octokit/webhooks';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { fixturePath, githubSourceObject, secretObject, startKubeApiServer, startRecordingSink, type RecordingSink } from '@tributary/testkit';
import { runContainer, type RunningContainer } from './support/container-spec.ts';
import { asKnativeServiceRevision } from './fixtures/controllers/knative-serving.ts';
import { githubMultiTenantAdapter, githubSourceReceiveAdapter } from './fixtures/controllers/github-source.ts';
import { gitlabSourceReceiveAdapter } from './fixtures/controllers/gitlab-source.ts';
import { heartbeatsContainerSource } from './fixtures/controllers/heartbeats.ts';
import { awsSqsSourceAdapter } from './fixtures/controllers/awssqssource.ts';

// Each upstream controller's container spec (fixtures/controllers, transcribed at a named tag),
// run as it stands against the built bundle: ready on the controller's own probes, events as the
// Go adapter sends them.
const ZAP = JSON.stringify({ level: 'info', development: false, outputPaths: ['stdout'], errorOutputPaths: ['stderr'], encoding: 'json' });
const LOGGING = JSON.stringify({ 'zap-logger-config': ZAP });

describe('upstream controllers’ receive-adapter specs', () => {
  let sink: RecordingSink;
  let running: RunningContainer | undefined;
  beforeEach(async () => {
    sink = await startRecordingSink();
  });
  afterEach(async () => {
    await running?.process.stop(5_000);
    running = undefined;
    await sink.close();
  });

  it('GitHubSource (eventing-github v0.48.0, single-tenant Knative Service): ready, signed push forwarded as the Go adapter does', async () => {
    const source = {
      metadata: { name: 'repo-events', namespace: 'team-a' },
      spec: { ownerAndRepository: 'Codertocat/Hello-World', secretToken: { secretKeyRef: { name: 'gh-secret', key: 'secretToken' } } },
      status: { sinkUri: sink.url },
    };
    const spec = asKnativeServiceRevision(githubSourceReceiveAdapter(source), { service: 'repo-events-x7k2p', revision: 'repo-events-x7k2p-00001' });
    running = await runContainer('github', spec, { secrets: { 'gh-secret': { secretToken: 's3cr3t' } } });
    await running.probe(spec.readinessProbe!);

    const body = readFileSync(fixturePath('github', 'push.json'), 'utf8');
    const delivery = randomUUID();
    const response = await fetch(`http://127.0.0.1:${running.port('user-port')}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': delivery,
        'x-hub-signature-256': await new Webhooks({ secret: 's3cr3t' }).sign(body),
      },
      body,
    });
    expect(response.status).toBe(200);
    const [event] = sink.events;
    expect(event?.attributes).toMatchObject({
      type: 'dev.knative.source.github.push',
      source: 'https://github.com/Codertocat/Hello-World',
      id: delivery,
      subject: 'simple-tag',
      datacontenttype: 'application/json',
    });
    expect(event?.headers['kn-namespace']).toBe('team-a');

    const unsigned = await fetch(`http://127.0.0.1:${running.port('user-port')}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      body,
    });
    expect(unsigned.status).toBe(401);
    expect(sink.events).toHaveLength(1);
  });

  it('GitHubSource multi-tenant adapter (eventing-github v0.48.0 `github-adapter` Service): ready once sources are listed, each served at /<namespace>/<name>', async () => {
    const kube = await startKubeApiServer({ namespaces: ['default', 'team-a', 'knative-sources'] });
    try {
      kube.create(secretObject('team-a', 'gh', { secretToken: 'team secret', accessToken: 'ghp_x' }));
      kube.create(
        githubSourceObject({
          namespace: 'team-a',
          name: 'repo-events',
          spec: {
            ownerAndRepository: 'Codertocat/Hello-World',
            eventTypes: ['push'],
            accessToken: { secretKeyRef: { name: 'gh', key: 'accessToken' } },
            secretToken: { secretKeyRef: { name: 'gh', key: 'secretToken' } },
          },
          sinkUri: sink.url,
        }),
      );
      const kubeconfig = await kube.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'mt-github-')), 'kubeconfig'));
      const revision = asKnativeServiceRevision(githubMultiTenantAdapter, { service: 'github-adapter', revision: 'github-adapter-00001' });
      // KUBECONFIG stands in for the pod's `github-adapter` service account token.
      const spec = { ...revision, env: [...revision.env, { name: 'KUBECONFIG', value: kubeconfig }] };
      running = await runContainer('github', spec);
      await running.probe({ httpGet: { path: '/readiness', port: 8080 } });

      const body = readFileSync(fixturePath('github', 'push.json'), 'utf8');
      const post = async (path: string) =>
        fetch(`http://127.0.0.1:${running!.port('user-port')}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'push',
            'x-github-delivery': randomUUID(),
            'x-hub-signature-256': await new Webhooks({ secret: 'team secret' }).sign(body),
          },
          body,
        });
      expect((await post('/team-a/repo-events')).status).toBe(200);
      expect(sink.events[0]?.attributes).toMatchObject({ type: 'dev.knative.source.github.push', source: 'https://github.com/Codertocat/Hello-World' });
      expect(sink.events[0]?.headers['kn-namespace']).toBe('team-a');
      expect((await post('/team-a/other')).status).toBe(404);
    } finally {
      await running?.process.stop(5_000);
      running = undefined;
      await kube.close();
    }
  });

  it('GitLabSource (eventing-gitlab v0.49.1, Knative Service): ready, metrics on METRICS_PROMETHEUS_PORT, push forwarded as the Go adapter does', async () => {
    const source = {
      metadata: { name: 'project-events', namespace: 'team-b' },
      spec: { projectUrl: 'https://gitlab.example.com/group/project', secretToken: { secretKeyRef: { name: 'gl-secret', key: 'token' } } },
      status: { sinkUri: sink.url },
    };
    const observability = JSON.stringify({ tracing: { protocol: 'none', samplingRate: 0 }, metrics: { protocol: 'prometheus' }, runtime: {} });
    const spec = asKnativeServiceRevision(gitlabSourceReceiveAdapter(source, { logging: LOGGING, observability }), {
      service: 'project-events-9xq4d',
      revision: 'project-events-9xq4d-00001',
    });
    running = await runContainer('gitlab', spec, { secrets: { 'gl-secret': { token: 'gl-token' } } });
    await running.probe(spec.readinessProbe!);

    const body = readFileSync(fixturePath('gitlab', 'push.json'));
    const response = await fetch(`http://127.0.0.1:${running.port('user-port')}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gitlab-token': 'gl-token', 'x-gitlab-event': 'Push Hook' },
      body,
    });
    expect(response.status).toBe(200);
    const [event] = sink.events;
    expect(event?.attributes).toMatchObject({
      type: 'dev.knative.sources.gitlab.push',
      source: 'https://gitlab.example.com/group/project',
      comgitlabevent: 'Push Hook',
    });
    const metrics = await fetch(`http://127.0.0.1:${running.env['METRICS_PROMETHEUS_PORT']}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('tributary_webhook_requests_total');
  });

  it('heartbeats ContainerSource (knative/eventing knative-v1.22.2): --period=1 from args, overrides from the SinkBinding', async () => {
    const spec = heartbeatsContainerSource({
      namespace: 'demo',
      sink: sink.url,
      ceOverrides: JSON.stringify({ extensions: { team: 'blue' } }),
    });
    running = await runContainer('heartbeat', spec);
    const [first, second] = await sink.waitForEvents(2, 10_000);
    expect(first?.attributes).toMatchObject({
      type: 'dev.knative.eventing.samples.heartbeat',
      source: 'https://knative.dev/eventing-contrib/cmd/heartbeats/#demo/heartbeats',
      the: '42',
      heart: 'yes',
      beats: 'true',
      team: 'blue',
    });
    expect(first?.json()).toEqual({ id: 1, label: '' });
    expect(second?.json()).toEqual({ id: 2, label: '' });
  });

  describe('TriggerMesh AWSSQSSource (triggermesh v1.27.0 Deployment)', () => {
    let fauxqs: FauxqsServer;
    beforeEach(async () => {
      fauxqs = await startFauxqs({ port: 0, logger: false });
    });
    afterEach(async () => {
      await running?.process.stop(5_000);
      running = undefined;
      await fauxqs.stop();
    });

    it('passes the startup probe on port health, serves metrics on port metrics, forwards a message', async () => {
      const { queueUrl, queueArn } = fauxqs.createQueue('orders');
      const source = {
        metadata: { name: 'orders', namespace: 'shop' },
        spec: {
          arn: queueArn,
          auth: {
            credentials: {
              accessKeyID: { valueFromSecret: { name: 'awscreds', key: 'aws_access_key_id' } },
              secretAccessKey: { valueFromSecret: { name: 'awscreds', key: 'aws_secret_access_key' } },
            },
          },
          endpoint: { url: fauxqs.address },
        },
        status: { sinkUri: sink.url },
      };
      const spec = awsSqsSourceAdapter(source, {
        logging: LOGGING,
        metrics: JSON.stringify({ Domain: 'knative.dev/sources', Component: 'awssqssource', PrometheusPort: 0, PrometheusHost: '', ConfigMap: { 'metrics.backend-destination': 'prometheus' } }),
        tracing: JSON.stringify({ backend: 'none', debug: 'false', 'sample-rate': '0.1', 'zipkin-endpoint': '' }),
      });
      running = await runContainer('sqs', spec, { secrets: { awscreds: { aws_access_key_id: 'test', aws_secret_access_key: 'test' } } });
      await running.probe(spec.startupProbe!);

      const sqs = new SQSClient({ endpoint: fauxqs.address, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      try {
        const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"order":1}' }));
        const [event] = await sink.waitForEvents(1, 15_000);
        expect(event?.attributes).toMatchObject({ type: 'com.amazon.sqs.message', source: queueArn, id: sent.MessageId });
        expect(event?.headers['kn-namespace']).toBe('shop');
      } finally {
        sqs.destroy();
      }
      const metrics = await fetch(`http://127.0.0.1:${running.port('metrics')}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/name="orders"/);
    });
  });
});
