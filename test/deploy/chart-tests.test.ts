// `helm test` hooks (tributary-lib _tests.tpl): every chart renders a test Pod on the adapter's own
// image (no other image to pull) that checks readiness through a Service selecting the release's
// pods; webhook charts add one delivery signed with the release's Secret. The rendered script is
// then run with node, as in the Pod, against the built adapter bundle on loopback and the testkit's
// recording sink: the signed delivery must be accepted and forwarded, a wrong secret refused.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adapterEnv,
  startProcess,
  startRecordingSink,
  type AdapterProcess,
  type RecordingSink,
} from '@tributary/testkit';
import { CHARTS } from '../../deploy/helm/adapters.ts';
import { ofKind, podTemplates, renderObjects } from './chart-checks.ts';
import { validateAll, type K8sObject } from './k8s-schema.ts';
import { REQUIRED_VALUES } from './required-values.ts';

const PACKAGES = fileURLToPath(new URL('../../packages/', import.meta.url));

interface TestPod {
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    restartPolicy: string;
    automountServiceAccountToken: boolean;
    containers: {
      image: string;
      command: string[];
      args: string[];
      env: { name: string; value: string }[];
      securityContext: Record<string, unknown>;
      volumeMounts?: { name: string; mountPath: string }[];
    }[];
    volumes?: {
      name: string;
      projected: { sources: { secret: { name: string; items: { key: string }[] } }[] };
    }[];
  };
}

const isTestHook = (object: K8sObject) => object.metadata.annotations?.['helm.sh/hook'] === 'test';

function testObjects(chart: string, sets: readonly string[] = []) {
  const objects = renderObjects(chart, undefined, [...(REQUIRED_VALUES[chart] ?? []), ...sets]);
  const pod = objects.find((o) => o.kind === 'Pod' && isTestHook(o)) as unknown as TestPod | undefined;
  if (pod === undefined) throw new Error(`${chart}: no helm test Pod rendered`);
  return { objects, pod, container: pod.spec.containers[0] as TestPod['spec']['containers'][number] };
}

const envOf = (container: { env: { name: string; value: string }[] }) =>
  Object.fromEntries(container.env.map((entry) => [entry.name, entry.value]));

describe('helm test hooks', () => {
  it.each(CHARTS.map((spec) => spec.name))(
    '%s: a test Pod on the adapter image, hardened, reaching the pods through a Service',
    async (chart) => {
      const { objects, pod, container } = testObjects(chart, ['image.digest=sha256:' + 'ab'.repeat(32)]);
      await validateAll(objects);
      expect(pod.metadata.annotations['helm.sh/hook-delete-policy']).toBe('before-hook-creation');
      expect(pod.spec.restartPolicy).toBe('Never');
      expect(pod.spec.automountServiceAccountToken).toBe(false);
      // The same image as the adapter, by the same reference: nothing else to pull.
      const adapterImage = podTemplates(objects)[0]?.spec.containers[0]?.image;
      expect(container.image).toBe(adapterImage);
      expect(container.image).toMatch(/@sha256:(ab){32}$/);
      expect(container.command).toEqual(['node', '-e']);
      expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
      // The test Pod is not one of the release's pods: no Service, PDB or spread selects it.
      const selector = { 'app.kubernetes.io/name': chart, 'app.kubernetes.io/instance': 'rel' };
      expect(pod.metadata.labels['app.kubernetes.io/name']).toBe(`${chart}-test`);
      // TEST_URL names a Service that selects exactly the release's pods, on the adapter's http port.
      const url = new URL(envOf(container)['TEST_URL'] ?? '');
      const [name, namespace] = url.hostname.split('.');
      expect(namespace).toBe('demo');
      const service = ofKind(objects, 'Service').find((s) => s.metadata.name === name);
      const spec = service?.['spec'] as { selector: object; ports: { port: number; targetPort: string }[] };
      expect(spec.selector).toEqual(selector);
      expect(spec.ports).toContainEqual(
        expect.objectContaining({ port: Number(url.port || 80), targetPort: 'http' }),
      );
      // A Service made for the test exists only during `helm test`.
      if (!CHARTS.find((c) => c.name === chart)?.webhook) expect(isTestHook(service as K8sObject)).toBe(true);
    },
  );

  it.each(CHARTS.filter((spec) => !spec.testDelivery).map((spec) => spec.name))(
    '%s: readiness only, no delivery and no secret',
    (chart) => {
      const { pod, container } = testObjects(chart);
      expect(envOf(container)['TEST_DELIVERY']).toBeUndefined();
      expect(pod.spec.volumes).toBeUndefined();
    },
  );

  it('github: mounts only the signing key, not the access token', () => {
    const { pod, container } = testObjects('github', [
      'secret.values.GITHUB_ACCESS_TOKEN=not-a-real-token',
      'github.ownerRepo=org/repo',
      'github.webhookUrl=https://hooks.example.com/',
    ]);
    expect(container.volumeMounts).toEqual([
      { name: 'secret', mountPath: '/var/run/secrets/tributary', readOnly: true },
    ]);
    const items = pod.spec.volumes?.flatMap((v) => v.projected.sources.flatMap((s) => s.secret.items));
    expect(items).toEqual([{ key: 'GITHUB_SECRET_TOKEN', path: 'GITHUB_SECRET_TOKEN' }]);
  });

  it('github: a keyRef is mounted from the Secret it names', () => {
    const { pod } = testObjects('github', [
      'secret.keyRefs.GITHUB_SECRET_TOKEN.name=githubsecret',
      'secret.keyRefs.GITHUB_SECRET_TOKEN.key=secretToken',
    ]);
    expect(pod.spec.volumes?.[0]?.projected.sources).toEqual([
      { secret: { name: 'githubsecret', items: [{ key: 'secretToken', path: 'GITHUB_SECRET_TOKEN' }] } },
    ]);
  });

  it('github with allowUnsigned and no Secret: an unsigned delivery', () => {
    const { pod, container } = testObjects('github', [
      'secret.values.GITHUB_SECRET_TOKEN=',
      'github.allowUnsigned=true',
    ]);
    const delivery = JSON.parse(envOf(container)['TEST_DELIVERY'] ?? '{}') as { auth?: unknown };
    expect(delivery.auth).toBeUndefined();
    expect(pod.spec.volumes).toBeUndefined();
  });

  it('eventbridge with a signing certificate: readiness only (the private key is the sender’s)', () => {
    const { container } = testObjects('eventbridge', [
      'secret.values.EVENTBRIDGE_PUBLIC_KEY=placeholder',
      'eventbridge.targetUrl=https://hooks.example.com/',
    ]);
    expect(envOf(container)['TEST_DELIVERY']).toBeUndefined();
  });

  it('eventbridge with version 2 signatures switched on in env: readiness only', () => {
    const { container } = testObjects('eventbridge', [
      'env.EVENTBRIDGE_SIGNATURE_V2=true',
      'env.EVENTBRIDGE_TARGET_URL=https://hooks.example.com/',
    ]);
    expect(envOf(container)['TEST_DELIVERY']).toBeUndefined();
    const plain = testObjects('eventbridge');
    expect(JSON.parse(envOf(plain.container)['TEST_DELIVERY'] ?? '{}')).toMatchObject({
      auth: { key: 'EVENTBRIDGE_TOKEN' },
    });
  });
});

/** What each webhook adapter needs to run on loopback, and what the sink must get from the test delivery. */
const WEBHOOKS = [
  { chart: 'github', key: 'GITHUB_SECRET_TOKEN', env: {}, type: 'dev.knative.source.github.ping' },
  {
    chart: 'gitlab',
    key: 'GITLAB_SECRET_TOKEN',
    env: { GITLAB_EVENT_SOURCE: 'https://gitlab.com/group/project' },
    type: 'dev.knative.sources.gitlab.push',
  },
  { chart: 'eventbridge', key: 'EVENTBRIDGE_TOKEN', env: {}, type: 'dev.tributary.helm.test' },
] as const;

/** Runs the Pod's command (node -e <script>) with its env, pointing TEST_URL and the secret at loopback. */
function runTestPod(container: TestPod['spec']['containers'][number], env: Record<string, string>) {
  const child = spawn(process.execPath, [container.command[1] as string, ...container.args], {
    env: { PATH: process.env['PATH'] ?? '', ...envOf(container), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, output })),
  );
}

describe.each(WEBHOOKS)('$chart helm test script against the built adapter', ({ chart, key, env, type }) => {
  const secret = 'helm-test-secret';
  let sink: RecordingSink;
  let adapter: AdapterProcess;
  let port: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tributary-helm-test-'));
    writeFileSync(join(dir, key), `${secret}\n`);
    sink = await startRecordingSink();
    const adapterVars = await adapterEnv(sink.url, { ...env, [`${key}_FILE`]: join(dir, key) });
    port = adapterVars.PORT;
    adapter = startProcess(join(PACKAGES, chart, 'dist', 'main.js'), adapterVars);
  });
  afterAll(async () => {
    await adapter?.stop();
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a delivery the adapter accepts and forwards; a wrong secret is refused', async () => {
    const { container } = testObjects(chart);
    const right = await runTestPod(container, { TEST_URL: `http://127.0.0.1:${port}`, TEST_SECRET_DIR: dir });
    expect(right.output).toContain('ready: GET');
    expect(right.output).toContain(`test delivery signed with ${key} accepted: 2`);
    expect(right.code, right.output + adapter.stdout()).toBe(0);
    const [event] = await sink.waitForEvents(1, 10_000);
    expect(event?.attributes['type']).toBe(type);

    const wrongDir = mkdtempSync(join(tmpdir(), 'tributary-helm-test-'));
    writeFileSync(join(wrongDir, key), 'not-the-secret');
    const wrong = await runTestPod(container, {
      TEST_URL: `http://127.0.0.1:${port}`,
      TEST_SECRET_DIR: wrongDir,
    });
    rmSync(wrongDir, { recursive: true, force: true });
    expect(wrong.code).toBe(1);
    expect(wrong.output).toContain(`test delivery signed with ${key}: 401`);
  });
});
