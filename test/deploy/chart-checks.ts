// Helpers for the chart tests: render a chart with the real helm binary, and find the parts of the
// rendered objects the assertions look at.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { runHelm } from '../../scripts/helm.ts';
import { parseObjects, type K8sObject } from './k8s-schema.ts';

export const HELM_DIR = fileURLToPath(new URL('../../deploy/helm/', import.meta.url));
export const NAMESPACE = 'demo';
export const RELEASE = 'rel';

export interface PodTemplate {
  readonly metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  readonly spec: {
    securityContext: Record<string, unknown>;
    terminationGracePeriodSeconds: number;
    automountServiceAccountToken: boolean;
    serviceAccountName: string;
    containers: Container[];
    volumes: {
      name: string;
      projected?: { defaultMode?: number; sources: { secret: SecretProjection }[] };
      configMap?: { name: string };
    }[];
  };
}

export interface SecretProjection {
  readonly name: string;
  readonly items: { key: string; path: string }[];
}

/** The Secrets (name → key → file) projected into a pod's `secret` volume. */
export function secretProjections(pod: PodTemplate | undefined): SecretProjection[] {
  return (
    pod?.spec.volumes.find((volume) => volume.name === 'secret')?.projected?.sources.map((s) => s.secret) ??
    []
  );
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly env: { name: string; value?: string; valueFrom?: unknown }[];
  readonly securityContext: {
    readOnlyRootFilesystem: boolean;
    allowPrivilegeEscalation: boolean;
    runAsNonRoot: boolean;
    capabilities: { drop: string[] };
  };
  readonly resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  readonly livenessProbe: { httpGet: { path: string; port: string } };
  readonly readinessProbe: { httpGet: { path: string; port: string } };
  readonly volumeMounts: { name: string; mountPath: string }[];
  readonly envFrom?: unknown[];
}

/** The ci/*-values.yaml files of a chart, by file name. */
export function ciValuesFiles(chart: string): string[] {
  return readdirSync(join(HELM_DIR, chart, 'ci'))
    .filter((file) => file.endsWith('-values.yaml'))
    .sort();
}

export function readValues(chart: string, file?: string): Record<string, unknown> {
  return parse(readFileSync(join(HELM_DIR, chart, file ? `ci/${file}` : 'values.yaml'), 'utf8')) as Record<
    string,
    unknown
  >;
}

function valueArgs(chart: string, file: string | undefined, sets: readonly string[]): string[] {
  return [
    ...(file ? ['-f', join(HELM_DIR, chart, 'ci', file)] : []),
    ...sets.flatMap((set) => ['--set', set]),
  ];
}

export function lint(chart: string, file?: string, sets: readonly string[] = []) {
  return runHelm(['lint', join(HELM_DIR, chart), '--strict', '--quiet', ...valueArgs(chart, file, sets)]);
}

export function render(
  chart: string,
  file?: string,
  sets: readonly string[] = [],
  extraArgs: readonly string[] = [],
) {
  return runHelm([
    'template',
    RELEASE,
    join(HELM_DIR, chart),
    '--namespace',
    NAMESPACE,
    ...valueArgs(chart, file, sets),
    ...extraArgs,
  ]);
}

/** Renders and parses; throws with helm's stderr when rendering fails. */
export function renderObjects(chart: string, file?: string, sets: readonly string[] = []): K8sObject[] {
  const result = render(chart, file, sets);
  if (result.status !== 0) throw new Error(`helm template ${chart} ${file ?? ''} failed:\n${result.stderr}`);
  return parseObjects(result.stdout);
}

export function ofKind(objects: readonly K8sObject[], kind: string): K8sObject[] {
  return objects.filter((object) => object.kind === kind);
}

/** The pod templates of every workload: Deployments and ContainerSources. */
export function podTemplates(objects: readonly K8sObject[]): PodTemplate[] {
  return objects
    .filter((object) => object.kind === 'Deployment' || object.kind === 'ContainerSource')
    .map((object) => (object['spec'] as { template: PodTemplate }).template);
}

export function envOf(container: Container): Map<string, string | undefined> {
  return new Map(container.env.map((entry) => [entry.name, entry.value]));
}
