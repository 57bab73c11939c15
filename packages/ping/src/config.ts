import { readFileSync } from 'node:fs';
import type { Env, RuntimeConfig } from '@tributary/core';
import { readKubeAccess, type KubeAccess } from '@tributary/kube';
import { contentHash } from './file-watcher.ts';
import { buildPingSource, type PingSource, type PingSourceField } from './source.ts';
import { parseSourcesFile, type SourcesFile } from './sources-file.ts';

/** One source described by PING_* variables, NAMESPACE and NAME. */
export interface SingleSource {
  readonly kind: 'env';
  /** Undefined only when the configuration is invalid (the process then exits 78). */
  readonly source: PingSource | undefined;
}

/** Many sources from a JSON or YAML list, followed while the process runs. */
export interface SourcesFromFile {
  readonly kind: 'file';
  readonly path: string;
  /** What the file held at startup: sources to run and entries rejected. */
  readonly initial: SourcesFile;
  readonly initialHash: string;
  readonly pollIntervalMs: number;
}

/**
 * Every PingSource object of the cluster (or of one namespace), watched through the Kubernetes
 * API, as Knative's `pingsource-mt-adapter` Deployment serves them: chosen when neither K_SINK nor
 * a source (NAME, PING_SCHEDULE, ..., PING_SOURCES_FILE) is given, which is that Deployment's env.
 */
export interface SourcesFromKubernetes {
  readonly kind: 'kubernetes';
  readonly access: KubeAccess;
  /** Undefined: every namespace. */
  readonly namespace: string | undefined;
}

export interface PingConfig {
  readonly sources: SingleSource | SourcesFromFile | SourcesFromKubernetes;
  /** Random delay 0..jitterMs before each send; 0 sends at the scheduled instant. */
  readonly jitterMs: number;
}

const VARIABLES: Readonly<Record<PingSourceField, string>> = {
  namespace: 'NAMESPACE',
  name: 'NAME',
  schedule: 'PING_SCHEDULE',
  timezone: 'PING_TIMEZONE',
  data: 'PING_DATA',
  dataBase64: 'PING_DATA_BASE64',
  contentType: 'PING_CONTENT_TYPE',
  sink: 'K_SINK',
  ceOverrides: 'K_CE_OVERRIDES',
  caCerts: 'K_CA_CERTS',
  oidc: 'K_AUDIENCE',
};
const SINGLE_SOURCE_ONLY = ['PING_SCHEDULE', 'PING_TIMEZONE', 'PING_DATA', 'PING_DATA_BASE64', 'PING_CONTENT_TYPE'];

export function readPingConfig(env: Env, runtime: RuntimeConfig): PingConfig {
  const jitterMs = env.int('PING_JITTER_MS', { default: 0, min: 0, max: 3_600_000 }) ?? 0;
  const file = env.string('PING_SOURCES_FILE');
  const sources =
    file !== undefined
      ? readSourcesFile(env, runtime, file)
      : describesNoSource(env, runtime)
        ? readKubernetes(env)
        : readSingleSource(env, runtime);
  return { jitterMs, sources };
}

/** mt-ping's Deployment sets no K_SINK, no NAME and no schedule (config/core/deployments/pingsource-mt-adapter.yaml). */
function describesNoSource(env: Env, runtime: RuntimeConfig): boolean {
  return runtime.sink === undefined && runtime.name === undefined && !SINGLE_SOURCE_ONLY.some((variable) => env.has(variable));
}

function readKubernetes(env: Env): SourcesFromKubernetes {
  const namespace = env.string('PING_WATCH_NAMESPACE');
  if (namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    env.problem('PING_WATCH_NAMESPACE', `${JSON.stringify(namespace)} is not a Kubernetes namespace name (DNS-1123 label)`);
  }
  if (!env.has('KUBECONFIG') && !env.has('KUBERNETES_SERVICE_HOST')) {
    // Most likely a single source missing its sink, rather than the multi-tenant mode outside a cluster.
    env.problem(
      'K_SINK',
      'not set: give one source (K_SINK, NAMESPACE, NAME, PING_SCHEDULE, ...) or PING_SOURCES_FILE; ' +
        'without them ping serves the PingSource objects of a cluster, which needs KUBECONFIG or a pod\'s service account',
    );
    return { kind: 'kubernetes', access: { kind: 'kubeconfig', path: '' }, namespace };
  }
  return { kind: 'kubernetes', access: readKubeAccess(env), namespace };
}

function readSingleSource(env: Env, runtime: RuntimeConfig): SingleSource {
  // The adapter declares needsSink: false because file entries may carry their own sinks.
  if (runtime.sink === undefined) env.problem('K_SINK', 'required but not set');
  // Raw: the data is sent as-is, surrounding whitespace included.
  const data = env.raw('PING_DATA');
  const dataBase64 = env.string('PING_DATA_BASE64');
  const both = data !== undefined && dataBase64 !== undefined;
  if (both) env.problem('PING_DATA_BASE64', 'PING_DATA and PING_DATA_BASE64 are mutually exclusive; set one of them');
  const result = buildPingSource({
    namespace: runtime.namespace,
    name: runtime.name,
    schedule: env.string('PING_SCHEDULE'),
    timezone: env.string('PING_TIMEZONE'),
    data: both ? undefined : data,
    dataBase64: both ? undefined : dataBase64,
    contentType: env.string('PING_CONTENT_TYPE'),
  });
  if (result.ok) return { kind: 'env', source: result.source };
  for (const problem of result.problems) env.problem(VARIABLES[problem.field], problem.message);
  return { kind: 'env', source: undefined };
}

function readSourcesFile(env: Env, runtime: RuntimeConfig, path: string): SourcesFromFile {
  for (const variable of SINGLE_SOURCE_ONLY) {
    if (env.has(variable)) env.problem(variable, 'describes the single source from env; with PING_SOURCES_FILE, set it in each entry');
  }
  const pollIntervalMs = env.duration('PING_SOURCES_POLL_INTERVAL', 2_000, { min: 100 });
  const empty: SourcesFromFile = { kind: 'file', path, initial: { sources: [], rejected: [] }, initialHash: '', pollIntervalMs };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    env.problem('PING_SOURCES_FILE', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return empty;
  }
  const parsed = parseSourcesFile(text, runtime.sink);
  if (!parsed.ok) {
    env.problem('PING_SOURCES_FILE', `${path} ${parsed.message}`);
    return empty;
  }
  return { ...empty, initial: parsed.file, initialHash: contentHash(text) };
}
