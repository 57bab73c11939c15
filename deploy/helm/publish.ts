// Publishes every adapter chart to an OCI registry, with the adapter images beside them:
//
//   npm run publish-charts -- --registry host:port [--digest] [--plain-http] [--prefix tributary] [--chart NAME ...]
//
// For each chart: builds the adapter image with buildah (deploy/image/buildah.ts: the Dockerfile's
// runtime-prebuilt target over packages/<adapter>/dist/, on the base image assembled offline) and
// pushes it to <registry>/<prefix>/<adapter>:<appVersion>; writes that repository into the chart's
// values (with --digest also image.digest, the digest the registry stored, so the chart pins
// <repository>@sha256:...); `helm package`s it and `helm push`es it to oci://<registry>/<prefix>/charts.
// Install with `helm install NAME oci://<registry>/<prefix>/charts/<chart> --version <version>`.
// Needs root and buildah (as the image tests do) and built bundles (`npm run build`).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse, parseDocument } from 'yaml';
import { CHARTS } from './adapters.ts';
import { Buildah, buildAdapterImage, buildahProblem, ensureBaseImage } from '../image/buildah.ts';
import { runHelm } from '../../scripts/helm.ts';

const HELM_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface PublishOptions {
  /** host:port of the registry. */
  readonly registry: string;
  /** Pin each chart's image by the digest the registry stored. */
  readonly digest?: boolean;
  /** Talk HTTP to the registry (a local or test registry). */
  readonly plainHttp?: boolean;
  /** Repository path under the registry: images at <prefix>/<adapter>, charts at <prefix>/charts. */
  readonly prefix?: string;
  /** Charts to publish; default all. */
  readonly charts?: readonly string[];
  readonly log?: (line: string) => void;
}

export interface Published {
  readonly chart: string;
  readonly version: string;
  /** oci://<registry>/<prefix>/charts/<chart> */
  readonly chartRef: string;
  /** <registry>/<prefix>/<adapter>:<appVersion> */
  readonly image: string;
  /** sha256:... of the image manifest as pushed. */
  readonly imageDigest: string;
}

export function publishCharts(options: PublishOptions): Published[] {
  const problem = buildahProblem();
  if (problem !== undefined) throw new Error(problem);
  const log = options.log ?? console.log;
  const prefix = options.prefix ?? 'tributary';
  const names = options.charts?.length ? options.charts : CHARTS.map((spec) => spec.name);
  for (const name of names)
    if (!CHARTS.some((spec) => spec.name === name)) throw new Error(`no chart named ${name}`);
  const tls = options.plainHttp ? ['--tls-verify=false'] : [];
  const helmHttp = options.plainHttp ? ['--plain-http'] : [];
  const work = mkdtempSync(join(tmpdir(), 'tributary-publish-'));
  const buildah = new Buildah();
  const published: Published[] = [];
  try {
    const base = ensureBaseImage();
    for (const name of names) {
      const chartDir = join(HELM_DIR, name);
      const meta = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as {
        version: string;
        appVersion: string;
      };
      const repository = `${options.registry}/${prefix}/${name}`;
      const image = `${repository}:${meta.appVersion}`;
      const local = buildAdapterImage(buildah, name, base);
      const digestFile = join(work, `${name}.digest`);
      buildah.run(['push', '--quiet', ...tls, '--digestfile', digestFile, local, `docker://${image}`]);
      const imageDigest = readFileSync(digestFile, 'utf8').trim();
      log(`pushed ${image}@${imageDigest}`);

      // A copy of the chart (the library symlink followed) whose values name the pushed image.
      const copy = join(work, 'charts', name);
      cpSync(chartDir, copy, { recursive: true, dereference: true });
      const valuesPath = join(copy, 'values.yaml');
      const values = parseDocument(readFileSync(valuesPath, 'utf8'));
      values.setIn(['image', 'repository'], repository);
      if (options.digest) values.setIn(['image', 'digest'], imageDigest);
      writeFileSync(valuesPath, values.toString());

      const packaged = helm(['package', copy, '--destination', work]);
      const archive = /saved it to: (\S+)/.exec(packaged)?.[1];
      if (archive === undefined) throw new Error(`helm package ${name}: no archive path in:\n${packaged}`);
      const target = `oci://${options.registry}/${prefix}/charts`;
      helm(['push', archive, target, ...helmHttp]);
      log(`pushed ${target}/${name}:${meta.version}`);
      published.push({
        chart: name,
        version: meta.version,
        chartRef: `${target}/${name}`,
        image,
        imageDigest,
      });
    }
  } finally {
    buildah.remove();
    rmSync(work, { recursive: true, force: true });
  }
  return published;
}

function helm(args: readonly string[]): string {
  const result = runHelm(args);
  if (result.status !== 0)
    throw new Error(`helm ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
  return result.stdout + result.stderr;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      registry: { type: 'string' },
      digest: { type: 'boolean', default: false },
      'plain-http': { type: 'boolean', default: false },
      prefix: { type: 'string', default: 'tributary' },
      chart: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.registry === undefined) {
    console.error(
      'usage: npm run publish-charts -- --registry host:port [--digest] [--plain-http] [--prefix tributary] [--chart NAME ...] [--json]',
    );
    process.exit(2);
  }
  try {
    const published = publishCharts({
      registry: values.registry,
      digest: values.digest,
      plainHttp: values['plain-http'],
      prefix: values.prefix,
      charts: values.chart ?? [],
      // With --json, stdout is the result only.
      log: values.json ? (line) => console.error(line) : (line) => console.log(line),
    });
    if (values.json) console.log(JSON.stringify(published));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
