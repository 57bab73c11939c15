// Publishing, offline: a local OCI registry (Debian's docker-registry, distribution 2.8, on a
// loopback port with a temporary storage directory), `npm run publish-charts` against it
// (deploy/helm/publish.ts: buildah builds and pushes every adapter image, helm packages and pushes
// every chart pinned to its image's digest), then `helm template oci://...` of each pushed chart.
// Needs root, buildah and docker-registry; without them this FAILS with the install command, it
// does not skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@tributary/testkit';
import { CHARTS } from '../../deploy/helm/adapters.ts';
import type { Published } from '../../deploy/helm/publish.ts';
import { buildahProblem } from '../../deploy/image/buildah.ts';
import { runHelm } from '../../scripts/helm.ts';
import { NAMESPACE, podTemplates } from './chart-checks.ts';
import { parseObjects, validateAll } from './k8s-schema.ts';
import { REQUIRED_VALUES } from './required-values.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REGISTRY_HINT = 'run `bash scripts/install.sh` as root (apt-get install -y docker-registry)';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';

function registryProblem(): string | undefined {
  const version = spawnSync('docker-registry', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return `docker-registry is not installed: ${REGISTRY_HINT}`;
  return undefined;
}

// Recorded, not thrown in beforeAll, so that every test below fails with it (vitest would report a
// throwing beforeAll's tests as skipped).
const problem = registryProblem() ?? buildahProblem();
let registry: ChildProcess | undefined;
let registryLog = '';
let host = '';
let dir = '';
let published: Published[] = [];
let publishOutput = '';

beforeAll(async () => {
  if (problem !== undefined) return;
  dir = mkdtempSync(join(tmpdir(), 'tributary-registry-'));
  host = `127.0.0.1:${await freePort()}`;
  // distribution's configuration (docs/configuration.md at v2.8.2): filesystem storage, HTTP on loopback.
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${join(dir, 'storage')}
http:
  addr: ${host}
`,
  );
  registry = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  registry.stdout?.on('data', (chunk: Buffer) => (registryLog += chunk.toString()));
  registry.stderr?.on('data', (chunk: Buffer) => (registryLog += chunk.toString()));
  await waitFor(async () => (await fetch(`http://${host}/v2/`).catch(() => undefined))?.status === 200, {
    timeoutMs: 30_000,
    what: `docker-registry on ${host}`,
  });
  const run = await runPublish(['--registry', host, '--plain-http', '--digest', '--json']);
  publishOutput = run.stderr;
  if (run.code !== 0) throw new Error(`npm run publish-charts failed (${run.code}):\n${run.stderr}`);
  published = JSON.parse(run.stdout) as Published[];
}, 1_200_000);

afterAll(() => {
  registry?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `npm run publish-charts -- <args>`, as a user runs it (node deploy/helm/publish.ts). */
function runPublish(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'deploy', 'helm', 'publish.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

function ready(): void {
  if (problem !== undefined) throw new Error(problem);
}

/** The registry's manifest of repository:reference, with the digest it stored it under. */
async function manifest(repository: string, reference: string) {
  const response = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, {
    headers: { accept: OCI_MANIFEST },
  });
  expect(response.status, `${repository}:${reference}\n${registryLog}`).toBe(200);
  return {
    digest: response.headers.get('docker-content-digest'),
    body: (await response.json()) as { config: { mediaType: string } },
  };
}

describe('publishing to a local OCI registry', () => {
  it('pushes every chart and every adapter image', async () => {
    ready();
    expect(published.map((p) => p.chart)).toEqual(CHARTS.map((spec) => spec.name));
    const catalog = (await (await fetch(`http://${host}/v2/_catalog`)).json()) as { repositories: string[] };
    for (const spec of CHARTS) {
      expect(catalog.repositories).toContain(`tributary/${spec.name}`);
      expect(catalog.repositories).toContain(`tributary/charts/${spec.name}`);
    }
    expect(publishOutput).toContain(`pushed oci://${host}/tributary/charts/heartbeat:0.1.0`);
  });

  it.each(CHARTS.map((spec) => spec.name))(
    '%s: the chart is a Helm OCI artifact and its image digest is the one the registry stored',
    async (chart) => {
      ready();
      const entry = published.find((p) => p.chart === chart);
      expect(entry?.chartRef).toBe(`oci://${host}/tributary/charts/${chart}`);
      const chartManifest = await manifest(`tributary/charts/${chart}`, entry?.version ?? '');
      expect(chartManifest.body.config.mediaType).toBe(HELM_CONFIG);
      const image = await manifest(`tributary/${chart}`, '0.1.0');
      expect(image.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(entry?.imageDigest).toBe(image.digest);
    },
  );

  it.each(CHARTS.map((spec) => spec.name))(
    '%s: helm template oci://... renders, pinned to repository@digest',
    async (chart) => {
      ready();
      const entry = published.find((p) => p.chart === chart) as Published;
      const result = runHelm([
        'template',
        'rel',
        entry.chartRef,
        '--version',
        entry.version,
        '--plain-http',
        '--namespace',
        NAMESPACE,
        ...(REQUIRED_VALUES[chart] ?? []).flatMap((set) => ['--set', set]),
      ]);
      expect(result.status, result.stderr).toBe(0);
      const objects = parseObjects(result.stdout);
      await validateAll(objects);
      const images = [
        ...podTemplates(objects).flatMap((pod) => pod.spec.containers.map((c) => c.image)),
        // The helm test Pod runs the same image.
        ...objects
          .filter((o) => o.kind === 'Pod')
          .flatMap((pod) =>
            (pod['spec'] as { containers: { image: string }[] }).containers.map((c) => c.image),
          ),
      ];
      expect(images.length).toBeGreaterThanOrEqual(2);
      for (const image of images) expect(image).toBe(`${host}/tributary/${chart}@${entry.imageDigest}`);
    },
  );
});
