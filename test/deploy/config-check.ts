// Would the rendered pod start? Builds the environment the kubelet (and, in the Knative binding
// modes, the SinkBinding) would give the adapter container of a render, and runs the adapter's own
// configuration check on it (core's runAdapter with checkConfig: parse every variable, exit 78 with
// the problems or 0). Mounted Secrets and ConfigMaps become files in a temporary directory.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Adapter } from '@tributary/core';
import { runAdapter } from '@tributary/core';
import { ofKind, podTemplates, type Container, type PodTemplate } from './chart-checks.ts';
import type { K8sObject } from './k8s-schema.ts';

/** Stand-ins for what the cluster supplies: a Knative-injected sink, downward-API fields, referenced secrets. */
const INJECTED_SINK = 'http://broker-ingress.knative-eventing.svc.cluster.local/demo/default';
const SECRET_PLACEHOLDER = 'placeholder-secret-value';
/** A user's Secret holding a certificate (EVENTBRIDGE_PUBLIC_KEY, GITLAB_CA_CERTS) holds a real one. */
const CERT_PLACEHOLDER = readFileSync(new URL('./fixtures/placeholder-cert.pem', import.meta.url), 'utf8');
const placeholderFor = (key: string) => (/CERT|PUBLIC_KEY/.test(key) ? CERT_PLACEHOLDER : SECRET_PLACEHOLDER);

const ADAPTERS: Record<string, () => Promise<Adapter<unknown>>> = {
  heartbeat: async () => (await import('@tributary/heartbeat')).heartbeatAdapter as Adapter<unknown>,
  ping: async () => (await import('@tributary/ping')).pingAdapter as Adapter<unknown>,
  github: async () => (await import('@tributary/github')).githubAdapter as Adapter<unknown>,
  gitlab: async () => (await import('@tributary/gitlab')).gitlabAdapter as Adapter<unknown>,
  eventbridge: async () => (await import('@tributary/eventbridge')).eventBridgeAdapter as Adapter<unknown>,
  sqs: async () => (await import('@tributary/sqs')).sqsAdapter as Adapter<unknown>,
  apiserver: async () => (await import('@tributary/apiserver')).apiserverAdapter as Adapter<unknown>,
  display: async () => (await import('@tributary/display')).displayAdapter as Adapter<unknown>,
};

export interface ConfigCheck {
  readonly code: number;
  readonly message: string;
}

export interface CheckOptions {
  /** Another pod of the render than the adapter's (a hook Job's template); Knative injects nothing there. */
  readonly pod?: PodTemplate;
  /** The container's args, as the process would see them (`--delete-webhook`). */
  readonly args?: readonly string[];
}

/** Runs `chart`'s adapter configuration check against the container env of the rendered objects. */
export async function checkRenderedConfig(
  chart: string,
  objects: readonly K8sObject[],
  options: CheckOptions = {},
): Promise<ConfigCheck> {
  const pod = options.pod ?? podTemplates(objects)[0];
  const container = pod?.spec.containers[0];
  if (pod === undefined || container === undefined)
    throw new Error(`${chart}: no adapter container rendered`);
  const load = ADAPTERS[chart];
  if (load === undefined) throw new Error(`${chart}: no adapter known to the config check`);
  const dir = mkdtempSync(join(tmpdir(), 'tributary-config-check-'));
  try {
    const env = containerEnv(objects, pod, container, dir, options.pod === undefined);
    return await runCheck(await load(), env, options.args ?? []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function containerEnv(
  objects: readonly K8sObject[],
  pod: PodTemplate,
  container: Container,
  dir: string,
  bound: boolean,
): Record<string, string> {
  const mounts = mountFiles(objects, pod, container, dir);
  const rendered: Record<string, string> = {};
  for (const entry of container.env) rendered[entry.name] = entry.value ?? fromValueSource(entry.valueFrom);
  // Paths under a mounted volume point into the temporary copy of that volume.
  for (const [name, value] of Object.entries(rendered)) {
    for (const [mountPath, local] of mounts) {
      if (value === mountPath || value.startsWith(`${mountPath}/`))
        rendered[name] = local + value.slice(mountPath.length);
    }
  }
  const env: Record<string, string> = { COMPACT_HEAP: 'false' };
  // Knative's SinkBinding (also behind a ContainerSource) injects these (sinkbinding_lifecycle.go).
  const binding = ofKind(objects, 'SinkBinding')[0] ?? ofKind(objects, 'ContainerSource')[0];
  if (bound && binding !== undefined) {
    env['K_SINK'] = INJECTED_SINK;
    const overrides = (binding['spec'] as { ceOverrides?: unknown }).ceOverrides;
    if (overrides !== undefined) env['K_CE_OVERRIDES'] = JSON.stringify(overrides);
  }
  if (pod.spec.automountServiceAccountToken) Object.assign(env, serviceAccountEnv(dir));
  Object.assign(env, rendered);
  return env;
}

function fromValueSource(source: unknown): string {
  const { fieldRef } = (source ?? {}) as { fieldRef?: { fieldPath: string } };
  if (fieldRef?.fieldPath === 'metadata.namespace') return 'demo';
  if (fieldRef?.fieldPath === 'metadata.name') return 'rel-pod-0';
  if (fieldRef !== undefined) return 'field-value';
  return SECRET_PLACEHOLDER;
}

/** The kubelet's in-cluster API access: KUBERNETES_SERVICE_HOST and a service-account directory. */
function serviceAccountEnv(dir: string): Record<string, string> {
  const account = join(dir, 'serviceaccount');
  mkdirSync(account);
  writeFileSync(join(account, 'token'), 'token');
  writeFileSync(join(account, 'namespace'), 'demo');
  writeFileSync(join(account, 'ca.crt'), '');
  return {
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_ACCOUNT_DIR: account,
  };
}

/** Each volume mount of the container as a local directory holding the files the volume would. */
function mountFiles(
  objects: readonly K8sObject[],
  pod: PodTemplate,
  container: Container,
  dir: string,
): Map<string, string> {
  const mounts = new Map<string, string>();
  for (const [index, mount] of container.volumeMounts.entries()) {
    const local = join(dir, `mount-${index}`);
    mkdirSync(local);
    const volume = pod.spec.volumes.find((v) => v.name === mount.name);
    for (const [file, text] of Object.entries(volumeFiles(objects, volume)))
      writeFileSync(join(local, file), text);
    mounts.set(mount.mountPath, local);
  }
  return mounts;
}

interface Projection {
  readonly name: string;
  readonly items?: { key: string; path: string }[];
}

function volumeFiles(objects: readonly K8sObject[], volume: unknown): Record<string, string> {
  const v = (volume ?? {}) as {
    secret?: { secretName: string; items?: { key: string; path: string }[] };
    configMap?: { name: string };
    projected?: { sources: { secret?: Projection }[] };
  };
  const files: Record<string, string> = {};
  const fromSecret = (name: string, items: { key: string; path: string }[] = []) => {
    const data = secretData(objects, name);
    for (const item of items) files[item.path] = data[item.key] ?? placeholderFor(item.path);
  };
  if (v.secret) fromSecret(v.secret.secretName, v.secret.items);
  for (const source of v.projected?.sources ?? [])
    if (source.secret) fromSecret(source.secret.name, source.secret.items);
  if (v.configMap) {
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === v.configMap?.name);
    Object.assign(files, (configMap?.['data'] ?? {}) as Record<string, string>);
  }
  return files;
}

/** A Secret the chart renders (stringData), or {} for one the user manages. */
function secretData(objects: readonly K8sObject[], name: string): Record<string, string> {
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === name);
  return (secret?.['stringData'] ?? {}) as Record<string, string>;
}

async function runCheck(
  adapter: Adapter<unknown>,
  env: Record<string, string>,
  args: readonly string[],
): Promise<ConfigCheck> {
  const written: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const writeOut = process.stdout.write.bind(process.stdout);
  let code = -1;
  // runAdapter reports on stderr/stdout as the process would; keep the message for the assertion.
  process.stderr.write = ((chunk: string) => (
    written.push(String(chunk)),
    true
  )) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string) => (
    written.push(String(chunk)),
    true
  )) as typeof process.stdout.write;
  try {
    await runAdapter(adapter, { env, args, checkConfig: true, exit: (c) => void (code = c) });
  } finally {
    process.stderr.write = write;
    process.stdout.write = writeOut;
  }
  return { code, message: written.join('') };
}
