// The pre-delete hook Job of the github and gitlab charts: on `helm uninstall` it runs the adapter
// image with --delete-webhook and the adapter's own env and Secret files, so the webhook the replicas
// kept in place is removed (packages/github/README.md, "Removing the hook"). Each render is checked
// against the Kubernetes schema and by the adapter's own config check, run with the Job's args.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  envOf,
  ofKind,
  podTemplates,
  render,
  renderObjects,
  secretProjections,
  type PodTemplate,
} from './chart-checks.ts';
import { checkRenderedConfig } from './config-check.ts';
import { parseObjects, validateAll, type K8sObject } from './k8s-schema.ts';
import { REQUIRED_VALUES } from './required-values.ts';

const MODES = ['sinkbinding', 'containersource', 'direct'] as const;
const SINK = 'sink.uri=http://events.demo.svc.cluster.local';

/** Hook management switched on: credentials, the targets and the public URL. */
const MANAGED: Record<string, readonly string[]> = {
  github: [
    'secret.values.GITHUB_ACCESS_TOKEN=not-a-real-token',
    'github.ownerRepo=acme/app',
    'github.webhookUrl=https://hooks.example.com/github',
  ],
  gitlab: [
    'secret.values.GITLAB_ACCESS_TOKEN=not-a-real-token',
    'gitlab.webhookUrl=https://hooks.example.com/gitlab',
  ],
};

const tmp = mkdtempSync(join(tmpdir(), 'tributary-webhook-cleanup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cleanupJobs(objects: readonly K8sObject[]): K8sObject[] {
  return ofKind(objects, 'Job').filter((job) => job.metadata.annotations?.['helm.sh/hook'] === 'pre-delete');
}

function jobPod(job: K8sObject | undefined): PodTemplate {
  expect(job).toBeDefined();
  return (job?.['spec'] as { template: PodTemplate }).template;
}

/** The Job's pod must be the adapter's own, run once: same image, env, Secret files and security. */
async function expectCleanupJob(chart: string, objects: readonly K8sObject[]): Promise<void> {
  await validateAll(objects);
  const jobs = cleanupJobs(objects);
  expect(jobs).toHaveLength(1);
  const [job] = jobs;
  expect(job?.metadata.annotations).toStrictEqual({
    'helm.sh/hook': 'pre-delete',
    'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
  });
  expect(job?.['spec']).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 300 });
  const pod = jobPod(job);
  const adapterPod = podTemplates(objects)[0];
  const [container] = pod.spec.containers;
  const adapter = adapterPod?.spec.containers[0];
  expect(pod.spec.containers).toHaveLength(1);
  expect(container).toMatchObject({
    name: 'delete-webhook',
    args: ['--delete-webhook'],
    image: adapter?.image,
  });
  expect(container).not.toHaveProperty('ports');
  expect(container).not.toHaveProperty('readinessProbe');
  expect((pod.spec as { restartPolicy?: string }).restartPolicy).toBe('Never');
  expect(container?.env).toStrictEqual(adapter?.env);
  expect(secretProjections(pod)).toStrictEqual(secretProjections(adapterPod));
  expect(container?.securityContext).toStrictEqual(adapter?.securityContext);
  expect(pod.spec.securityContext).toStrictEqual(adapterPod?.spec.securityContext);
  // No Service, PDB or spread constraint of the release selects the Job's pod.
  expect(pod.metadata.labels['app.kubernetes.io/name']).toBe(`${chart}-delete-webhook`);
  expect(adapterPod?.metadata.labels['app.kubernetes.io/name']).toBe(chart);

  const check = await checkRenderedConfig(chart, objects, { pod, args: ['--delete-webhook'] });
  expect(check.message).toContain('configuration ok');
  expect(check.code).toBe(0);
}

describe('the pre-delete Job that removes the webhook on helm uninstall', () => {
  for (const chart of ['github', 'gitlab']) {
    it.each(MODES)(
      `${chart} %s: the adapter image with --delete-webhook and the adapter's env and secrets`,
      async (mode) => {
        const objects = renderObjects(chart, undefined, [
          ...(REQUIRED_VALUES[chart] ?? []),
          ...(MANAGED[chart] ?? []),
          `binding.mode=${mode}`,
          SINK,
        ]);
        await expectCleanupJob(chart, objects);
        // A replica never deletes the hook when it stops.
        for (const pod of podTemplates(objects)) {
          const names = pod.spec.containers[0]?.env.map((entry) => entry.name) ?? [];
          expect(names.filter((name) => name.includes('DELETE_WEBHOOK'))).toStrictEqual([]);
        }
      },
    );

    it(`${chart}: no Job without hook management, nor with deleteWebhookOnUninstall=false`, () => {
      expect(cleanupJobs(renderObjects(chart, undefined, [...(REQUIRED_VALUES[chart] ?? [])]))).toStrictEqual(
        [],
      );
      const off = renderObjects(chart, undefined, [
        ...(REQUIRED_VALUES[chart] ?? []),
        ...(MANAGED[chart] ?? []),
        `${chart}.deleteWebhookOnUninstall=false`,
      ]);
      expect(cleanupJobs(off)).toStrictEqual([]);
      expect(ofKind(off, 'Deployment')).toHaveLength(1);
    });
  }

  it('github as a GitHub App: the App variables and the key file, in the Deployment and the Job alike', async () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs1',
      format: 'pem',
    });
    const values = join(tmp, 'app-values.yaml');
    writeFileSync(values, stringify({ secret: { values: { GITHUB_APP_PRIVATE_KEY: key.toString() } } }));
    const result = render(
      'github',
      undefined,
      [
        ...(REQUIRED_VALUES['github'] ?? []),
        'github.ownerRepo=acme',
        'github.webhookUrl=https://hooks.example.com/github',
        'github.appId=424242',
        'github.appInstallationId=31337',
        SINK,
      ],
      ['-f', values],
    );
    expect(result.stderr).not.toContain('Error');
    const objects = parseObjects(result.stdout);
    await expectCleanupJob('github', objects);
    const [container] = jobPod(cleanupJobs(objects)[0]).spec.containers;
    if (container === undefined) throw new Error('no container in the Job');
    const env = envOf(container);
    expect(env.get('GITHUB_APP_ID')).toBe('424242');
    expect(env.get('GITHUB_APP_INSTALLATION_ID')).toBe('31337');
    expect(env.get('GITHUB_APP_PRIVATE_KEY_FILE')).toBe('/var/run/secrets/tributary/GITHUB_APP_PRIVATE_KEY');
    expect(env.has('GITHUB_ACCESS_TOKEN_FILE')).toBe(false);
  });

  it('github: App values without the key, the key without them, or a token beside the key fail the render naming the values', () => {
    const base = [
      ...(REQUIRED_VALUES['github'] ?? []),
      'github.ownerRepo=acme',
      'github.webhookUrl=https://hooks.example.com/',
    ];
    const withoutKey = render('github', undefined, [...base, 'github.appId=1', 'github.appInstallationId=2']);
    expect(withoutKey.status).not.toBe(0);
    expect(withoutKey.stderr).toContain(
      'secret.values.GITHUB_APP_PRIVATE_KEY (or an existing Secret holding it): github.appId',
    );
    const withoutIds = render('github', undefined, [...base, 'secret.values.GITHUB_APP_PRIVATE_KEY=key']);
    expect(withoutIds.status).not.toBe(0);
    expect(withoutIds.stderr).toContain(
      'github.appId and github.appInstallationId: GITHUB_APP_PRIVATE_KEY authenticates as a GitHub App',
    );
    const both = render('github', undefined, [
      ...base,
      'secret.values.GITHUB_APP_PRIVATE_KEY=key',
      'secret.values.GITHUB_ACCESS_TOKEN=token',
      'github.appId=1',
      'github.appInstallationId=2',
    ]);
    expect(both.status).not.toBe(0);
    expect(both.stderr).toContain('secret: GITHUB_ACCESS_TOKEN or GITHUB_APP_PRIVATE_KEY, not both');
  });
});
