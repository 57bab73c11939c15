import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  adapterEnv,
  bundlePath,
  startKubeApiServer,
  startProcess,
  startRecordingSink,
  waitFor,
  type AdapterProcess,
  type KubeApiServer,
  type KubeObject,
  type ReceivedEvent,
  type RecordingSink,
} from '@tributary/testkit';

export const WIDGET = {
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
} as const;

/** The test API server (with a Widget custom resource), a recording sink, and the built adapter. */
export interface Harness {
  readonly server: KubeApiServer;
  readonly sink: RecordingSink;
  /** Starts the bundle with this K_SOURCE_CONFIG and waits for readiness (unless `ready: false`). */
  start(
    sourceConfig: unknown,
    extra?: Record<string, string>,
    options?: { ready?: boolean },
  ): Promise<Adapter>;
  close(): Promise<void>;
}

export interface Adapter {
  readonly proc: AdapterProcess;
  readonly env: Record<string, string>;
  /** The value of a Prometheus sample, e.g. `tributary_apiserver_relists_total{reason="expired"}` (0 when absent). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  readyz(): Promise<{ status: number; body: { ready: boolean; reasons: string[] } }>;
}

export async function startHarness(namespaces: readonly string[] = ['team-a', 'team-b']): Promise<Harness> {
  const server = await startKubeApiServer({ resources: [WIDGET], bookmarkIntervalMs: 200 });
  for (const name of namespaces) server.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const sink = await startRecordingSink();
  const dir = await mkdtemp(join(tmpdir(), 'apiserver-test-'));
  const kubeconfig = await server.writeKubeconfig(join(dir, 'kubeconfig'));
  const processes: AdapterProcess[] = [];
  return {
    server,
    sink,
    async start(sourceConfig, extra = {}, options = {}) {
      const env = await adapterEnv(sink.url, {
        KUBECONFIG: kubeconfig,
        K_SOURCE_CONFIG: typeof sourceConfig === 'string' ? sourceConfig : JSON.stringify(sourceConfig),
        NAME: 'test-source',
        NAMESPACE: 'team-a',
        APISERVER_BACKOFF_MAX: '300ms',
        ...extra,
      });
      const proc = startProcess(bundlePath('apiserver'), env);
      processes.push(proc);
      if (options.ready ?? true) await proc.waitForReady(Number(env.PORT));
      return {
        proc,
        env,
        metric: (name, labels = {}) => scrape(Number(env.METRICS_PORT), name, labels),
        async readyz() {
          const response = await fetch(`http://127.0.0.1:${env.PORT}/readyz`);
          return {
            status: response.status,
            body: (await response.json()) as { ready: boolean; reasons: string[] },
          };
        },
      };
    },
    async close() {
      await Promise.all(processes.map((p) => p.stop()));
      await sink.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function scrape(port: number, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return 0;
}

export function pod(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
  extra: Partial<KubeObject> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    ...extra,
  } as KubeObject;
}

export function widget(namespace: string, name: string, size = 1): KubeObject {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name, namespace },
    spec: { size },
  } as KubeObject;
}

/** Events at the sink about one object (by subject), in arrival order. */
export function about(events: readonly ReceivedEvent[], subject: string): ReceivedEvent[] {
  return events.filter((e) => e.attributes['subject'] === subject);
}

/**
 * Creates a sentinel pod in a watched namespace, waits for its event and for the queue to be empty,
 * and returns every other event: whatever the adapter queued before the sentinel has arrived, so
 * an extra (wrong) event would show up here.
 */
export async function settle(
  h: Harness,
  adapter: Adapter,
  namespace: string,
  labels: Record<string, string> = { app: 'web' },
): Promise<ReceivedEvent[]> {
  const name = `sentinel-${Date.now()}`;
  h.server.create(pod(namespace, name, labels));
  await waitFor(() => h.sink.events.some((e) => e.attributes['name'] === name), { what: `sentinel ${name}` });
  await waitFor(async () => (await adapter.metric('tributary_apiserver_queue_depth')) === 0, {
    what: 'an empty queue',
  });
  return h.sink.events.filter((e) => e.attributes['name'] !== name);
}
