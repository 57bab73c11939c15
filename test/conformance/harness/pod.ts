import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControllerFixture, EnvVar, HttpGetProbe, Value, World } from './fixture.ts';

/** Where kubelet mounts a pod's service account (automountServiceAccountToken). */
export const SERVICE_ACCOUNT_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * A bundle runs on the host, where a volume cannot be mounted at its path: each mount path the
 * runtime reads has a variable that points it elsewhere. A fixture mounting another path needs
 * an entry here (the image run mounts at the real path).
 */
const BUNDLE_MOUNT_ENV: Readonly<Record<string, (dir: string) => Record<string, string>>> = {
  [SERVICE_ACCOUNT_MOUNT]: (dir) => ({ KUBERNETES_SERVICE_ACCOUNT_DIR: dir }),
  '/oidc': (dir) => ({ K_OIDC_TOKEN_FILE: join(dir, 'token') }),
  '/knative-custom-certs': (dir) => ({ K_TRUST_BUNDLES_DIR: dir }),
};

/** The container as kubelet would start it: env resolved, volumes written to host directories. */
export interface ResolvedPod {
  /** Exactly the container's env, plus what kubelet adds (`KUBERNETES_SERVICE_HOST`/`_PORT`). */
  readonly env: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  /** Host directory → mount path. */
  readonly mounts: ReadonlyArray<{ readonly hostDir: string; readonly mountPath: string }>;
  /** For a run on the host: variables that point the runtime at the mounts' host directories. */
  readonly bundleEnv: Readonly<Record<string, string>>;
}

export async function resolvePod(
  fixture: ControllerFixture,
  world: World,
  overrides: Readonly<Record<string, string>> = {},
): Promise<ResolvedPod> {
  const env: Record<string, string> = {};
  for (const variable of fixture.container.env) env[variable.name] = resolveEnv(fixture, variable, world);
  Object.assign(env, overrides);
  const root = mkdtempSync(join(tmpdir(), 'tributary-pod-'));
  const mounts: Array<{ hostDir: string; mountPath: string }> = [];
  // The pod's service account, as kubelet projects it, and the API server address it injects.
  const account = join(root, 'serviceaccount');
  Object.assign(env, await world.kube.writeServiceAccount(account, fixture.pod.namespace));
  mounts.push({ hostDir: account, mountPath: SERVICE_ACCOUNT_MOUNT });
  for (const mount of fixture.container.volumeMounts ?? []) {
    const files = fixture.volumes?.[mount.name];
    if (files === undefined)
      throw new Error(`${fixture.name}: volume ${mount.name} has no files in the fixture`);
    const hostDir = join(root, mount.name);
    mkdirSync(hostDir, { recursive: true });
    for (const [name, value] of Object.entries(files))
      writeFileSync(join(hostDir, name), resolveValue(value, world));
    mounts.push({ hostDir, mountPath: mount.mountPath });
  }
  const bundleEnv: Record<string, string> = {};
  for (const { hostDir, mountPath } of mounts) {
    const redirect = BUNDLE_MOUNT_ENV[mountPath];
    if (redirect === undefined)
      throw new Error(
        `${fixture.name}: no variable points a bundle at ${mountPath}; add one to BUNDLE_MOUNT_ENV`,
      );
    Object.assign(bundleEnv, redirect(hostDir));
  }
  return { env, args: fixture.container.args ?? [], mounts, bundleEnv };
}

function resolveEnv(fixture: ControllerFixture, variable: EnvVar, world: World): string {
  if ('value' in variable) return resolveValue(variable.value, world);
  const from = variable.valueFrom;
  if ('fieldRef' in from) {
    const field: Record<string, string> = {
      'metadata.namespace': fixture.pod.namespace,
      'metadata.name': fixture.pod.name,
      'spec.serviceAccountName': fixture.pod.serviceAccountName,
      'status.podIP': '127.0.0.1',
    };
    const value = field[from.fieldRef.fieldPath];
    if (value === undefined)
      throw new Error(`${fixture.name}: fieldRef ${from.fieldRef.fieldPath} is not supported by the harness`);
    return value;
  }
  const secret = fixture.secrets?.[from.secretKeyRef.name]?.[from.secretKeyRef.key];
  if (secret === undefined)
    throw new Error(
      `${fixture.name}: secret ${from.secretKeyRef.name}/${from.secretKeyRef.key} is not in the fixture`,
    );
  return secret;
}

function resolveValue(value: Value, world: World): string {
  return typeof value === 'function' ? value(world) : value;
}

/** The URL kubelet's prober requests: `http://<pod IP>:<port>/<path>` (a named port resolved). */
export function probeUrl(fixture: ControllerFixture, probe: HttpGetProbe): string {
  const port =
    typeof probe.port === 'number'
      ? probe.port
      : fixture.container.ports.find((p) => p.name === probe.port)?.containerPort;
  if (port === undefined)
    throw new Error(`${fixture.name}: probe port ${String(probe.port)} is not a container port`);
  // k8s.io/kubernetes pkg/probe/http: the path is joined as url.URL{Path} renders it, with a leading '/'.
  const path = (probe.path ?? '').startsWith('/') ? (probe.path ?? '') : `/${probe.path ?? ''}`;
  return `http://127.0.0.1:${port}${path}`;
}
