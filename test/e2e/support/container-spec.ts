import { connect } from 'node:net';
import { bundlePath, freePort, startProcess, waitFor, type AdapterProcess } from '@tributary/testkit';

// The part of a Kubernetes container spec (core/v1 Container) a controller fills in for its
// receive adapter, in the API's own field names, so fixtures read like the upstream Go that made them.
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly fieldRef?: { readonly fieldPath: string };
  };
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
}

export interface Probe {
  readonly httpGet?: { readonly path?: string; readonly port?: number | string };
  readonly tcpSocket?: { readonly port?: number | string };
}

export interface ContainerSpec {
  readonly args?: readonly string[];
  readonly env: readonly EnvVar[];
  readonly ports?: readonly ContainerPort[];
  readonly readinessProbe?: Probe;
  readonly startupProbe?: Probe;
  readonly livenessProbe?: Probe;
}

/** What the kubelet resolves `valueFrom` against. */
export interface PodWorld {
  /** Secret name → key → value (the decoded `data`). */
  readonly secrets?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly pod?: { readonly name: string; readonly namespace: string };
}

/** A container spec running as the adapter bundle, with its ports moved to free loopback ports. */
export interface RunningContainer {
  readonly process: AdapterProcess;
  readonly env: Readonly<Record<string, string>>;
  /** The loopback port standing in for a container port (by number or name). */
  port(containerPort: number | string): number;
  /** Resolves once the probe succeeds, as the kubelet would see it. */
  probe(probe: Probe, timeoutMs?: number): Promise<void>;
}

/** Ports an adapter binds without being told: the probe/intake port and the metrics port. */
const DEFAULT_PORT = 8080;
const DEFAULT_METRICS_PORT = 9090;

/**
 * Starts `node packages/<adapter>/dist/main.js` with exactly the container's args and env, with
 * `valueFrom` resolved as the kubelet does. Tests run in parallel on one host, so every port the
 * spec names (container ports, and `PORT`/`*_PORT` values) is mapped to a free one; a port the
 * adapter binds by default (8080, 9090) gets `PORT`/`METRICS_PORT` only when the spec leaves it unset.
 */
export async function runContainer(adapter: string, spec: ContainerSpec, world: PodWorld = {}): Promise<RunningContainer> {
  const ports = new Map<number, number>();
  const mapped = async (containerPort: number) => {
    let port = ports.get(containerPort);
    if (port === undefined) ports.set(containerPort, (port = await freePort()));
    return port;
  };
  for (const { containerPort } of spec.ports ?? []) await mapped(containerPort);

  const env: Record<string, string> = {};
  for (const variable of spec.env) {
    const value = resolveEnv(variable, world);
    if (value === undefined) continue;
    env[variable.name] = /^(PORT|.*_PORT)$/.test(variable.name) && /^\d+$/.test(value) ? String(await mapped(Number(value))) : value;
  }
  if (env['PORT'] === undefined) env['PORT'] = String(await mapped(DEFAULT_PORT));
  if (env['METRICS_PORT'] === undefined && env['METRICS_PROMETHEUS_PORT'] === undefined) {
    env['METRICS_PORT'] = String(await mapped(DEFAULT_METRICS_PORT));
  }

  const process = startProcess(bundlePath(adapter), env, spec.args ?? []);
  const port = (containerPort: number | string): number => {
    const number = typeof containerPort === 'number' ? containerPort : spec.ports?.find((p) => p.name === containerPort)?.containerPort;
    const local = number === undefined ? undefined : ports.get(number);
    if (local === undefined) throw new Error(`container port ${containerPort} is not declared in the spec`);
    return local;
  };
  return {
    process,
    env,
    port,
    probe: (probe, timeoutMs = 15_000) =>
      waitFor(() => (process.child.exitCode !== null ? fail(process) : probeOnce(probe, port)), { timeoutMs, what: `probe ${JSON.stringify(probe)}` }),
  };
}

function resolveEnv(variable: EnvVar, world: PodWorld): string | undefined {
  const from = variable.valueFrom;
  if (from?.secretKeyRef !== undefined) {
    const value = world.secrets?.[from.secretKeyRef.name]?.[from.secretKeyRef.key];
    if (value === undefined) throw new Error(`secret ${from.secretKeyRef.name}/${from.secretKeyRef.key} is not in the test world`);
    return value;
  }
  if (from?.fieldRef !== undefined) {
    const fields: Record<string, string | undefined> = { 'metadata.name': world.pod?.name, 'metadata.namespace': world.pod?.namespace };
    return fields[from.fieldRef.fieldPath];
  }
  // An env var with an empty value is still set (Knative's GitHubSource sets K_METRICS_CONFIG="").
  return variable.value ?? '';
}

function fail(process: AdapterProcess): never {
  throw new Error(`the adapter exited: ${process.stderr()}\n${process.stdout()}`);
}

/** One probe as the kubelet runs it: `httpGet` succeeds on 200–399, `tcpSocket` on connect. */
async function probeOnce(probe: Probe, port: (p: number | string) => number): Promise<boolean> {
  if (probe.httpGet !== undefined) {
    const target = port(probe.httpGet.port ?? DEFAULT_PORT);
    try {
      const response = await fetch(`http://127.0.0.1:${target}${probe.httpGet.path ?? '/'}`);
      await response.body?.cancel();
      return response.status >= 200 && response.status < 400;
    } catch {
      return false;
    }
  }
  const target = port(probe.tcpSocket?.port ?? DEFAULT_PORT);
  return new Promise((resolve) => {
    const socket = connect(target, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
