// APIServer adapter, end to end over loopback: the test Kubernetes API server (in this process)
// streams pod adds to the adapter bundle (its own process), which delivers them to a counting sink
// (a third process). Side by side in the same run, alternating: a Knative-style baseline
// (client-node Watch, each change sent before the next, as Knative's delegate sends inside the
// watch). Two scenarios: an add storm of 10,000 pods to an instant sink, and 2,000 adds to a sink
// that takes 5 ms an answer. Run: `npm run build && node bench/apiserver.ts [rounds] [objects]`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort, startKubeApiServer } from '@tributary/testkit';
import { machineLine, markdownTable, median, writeSection } from './lib/report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = `${ROOT}packages/apiserver/dist/main.js`;
const ROUNDS = Number(process.argv[2] ?? 3);
const OBJECTS = Number(process.argv[3] ?? 10_000);
const SLOW_OBJECTS = Math.min(OBJECTS, 2_000);
const SLOW_SINK_MS = 5;
const NAMESPACE = 'storm';
type Contender = 'tributary' | 'tributary-growing-heap' | 'baseline';

if (!existsSync(BUNDLE)) {
  console.error(`${BUNDLE} is missing: run \`npm run build\` first`);
  process.exit(1);
}

interface Scenario {
  readonly name: string;
  readonly objects: number;
  readonly sinkDelayMs: number;
  readonly contenders: readonly Contender[];
}

interface Sample {
  seconds: number;
  /** From the last create until the sink has the last event. */
  drainSeconds: number;
  rate: number;
  peakRssMiB: number;
  /** User + system CPU of the adapter process, start-up included. */
  cpuSeconds: number;
}

/** Starts `node <args>` and reads its stdout JSON lines one by one. */
function start(args: readonly string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`${args.join(' ')} exited`);
      try {
        return JSON.parse(value as string) as Record<string, unknown>;
      } catch {
        // A log line, not ours.
      }
    }
  };
  return { child, next };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** User + system CPU seconds of a live process (/proc/<pid>/stat fields 14 and 15). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident set size (VmHWM) of a live process, in MiB. */
function peakRss(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

async function waitReady(port: number): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A pod of about 1 KB of JSON. */
function podFor(i: number): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `storm-${i}`,
      namespace: NAMESPACE,
      labels: { app: 'storm', shard: String(i % 16) },
      annotations: { 'bench.tributary.dev/index': String(i) },
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/storm/app:1.4.2',
          ports: [{ containerPort: 8080 }],
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
          env: [{ name: 'MODE', value: 'bench' }],
        },
      ],
      nodeName: `node-${i % 8}`,
      restartPolicy: 'Always',
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

async function startAdapter(contender: Contender, kubeconfig: string, sinkUrl: string) {
  if (contender === 'baseline') {
    const baseline = start([`${ROOT}bench/apiserver-baseline.ts`, kubeconfig, NAMESPACE, sinkUrl]);
    await baseline.next();
    return baseline;
  }
  const port = await freePort();
  const adapter = start([BUNDLE], {
    K_SINK: sinkUrl,
    KUBECONFIG: kubeconfig,
    PORT: String(port),
    METRICS_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    K_SOURCE_CONFIG: JSON.stringify({
      namespaces: [NAMESPACE],
      resources: [{ apiVersion: 'v1', kind: 'Pod' }],
      mode: 'Resource',
    }),
    COMPACT_HEAP: String(contender === 'tributary'),
  });
  await waitReady(port);
  return adapter;
}

async function run(scenario: Scenario, contender: Contender): Promise<Sample> {
  const server = await startKubeApiServer({ historyLimit: scenario.objects * 2 });
  server.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  const dir = mkdtempSync(join(tmpdir(), 'bench-apiserver-'));
  const kubeconfig = await server.writeKubeconfig(join(dir, 'kubeconfig'));
  const sink = start([
    `${ROOT}bench/apiserver-sink.ts`,
    String(scenario.objects),
    String(scenario.sinkDelayMs),
  ]);
  const sinkUrl = `http://127.0.0.1:${(await sink.next())['port']}/`;
  const adapter = await startAdapter(contender, kubeconfig, sinkUrl);
  const started = Date.now();
  // The storm: adds as fast as the store takes them, yielding now and then so the watch flows.
  for (let i = 0; i < scenario.objects; i++) {
    server.create(podFor(i));
    if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
  }
  const created = Date.now();
  const lastAt = (await sink.next())['lastAt'] as number;
  const pid = adapter.child.pid as number;
  const seconds = (lastAt - started) / 1000;
  const sample: Sample = {
    seconds,
    drainSeconds: Math.max(0, lastAt - created) / 1000,
    rate: scenario.objects / seconds,
    peakRssMiB: peakRss(pid),
    cpuSeconds: cpuSeconds(pid),
  };
  await stop(adapter.child);
  await stop(sink.child);
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  return sample;
}

const LABELS: Record<Contender, string> = {
  tributary: '**Tributary** (bundle)',
  'tributary-growing-heap': 'Tributary, `COMPACT_HEAP=false`',
  baseline: 'Knative-style sequential sender',
};

async function measure(scenario: Scenario): Promise<string> {
  const results = new Map<Contender, Sample[]>(scenario.contenders.map((c) => [c, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? scenario.contenders : [...scenario.contenders].reverse();
    for (const contender of order) {
      const s = await run(scenario, contender);
      results.get(contender)?.push(s);
      console.log(
        `${scenario.name} · ${contender} round ${round + 1}: ${s.seconds.toFixed(2)} s (${s.drainSeconds.toFixed(2)} s after the last create), ${s.rate.toFixed(0)} ev/s, peak RSS ${s.peakRssMiB.toFixed(0)} MiB, CPU ${s.cpuSeconds.toFixed(2)} s (load ${loadavg()[0]?.toFixed(1)})`,
      );
    }
  }
  const rows = scenario.contenders.map((contender) => {
    const samples = results.get(contender) ?? [];
    const med = (pick: (s: Sample) => number, digits: number) => median(samples.map(pick)).toFixed(digits);
    return [
      LABELS[contender],
      med((s) => s.seconds, 2),
      med((s) => s.drainSeconds, 2),
      med((s) => s.rate, 0),
      med((s) => s.peakRssMiB, 0),
      Math.max(...samples.map((s) => s.peakRssMiB)).toFixed(0),
      med((s) => s.cpuSeconds, 2),
    ];
  });
  const header = [
    'contender',
    'time to last event, s',
    'after the last create, s',
    'events/s',
    'peak RSS, MiB',
    'peak RSS, MiB (max)',
    'adapter CPU, s',
  ];
  return `### ${scenario.name}\n\n${markdownTable(header, rows)}\n`;
}

const storm: Scenario = {
  name: `Add storm: ${OBJECTS.toLocaleString('en')} pods, instant sink`,
  objects: OBJECTS,
  sinkDelayMs: 0,
  contenders: ['tributary', 'tributary-growing-heap', 'baseline'],
};
const slowSink: Scenario = {
  name: `${SLOW_OBJECTS.toLocaleString('en')} pods, sink answering after ${SLOW_SINK_MS} ms`,
  objects: SLOW_OBJECTS,
  sinkDelayMs: SLOW_SINK_MS,
  contenders: ['tributary', 'baseline'],
};
const tables = [await measure(storm), await measure(slowSink)];

const markdown = `## APIServer: add storms, Tributary vs a Knative-style sender

Command: \`node bench/apiserver.ts ${ROUNDS} ${OBJECTS}\` (after \`npm run build\`; ${ROUNDS} alternating rounds per
contender; each run has a fresh test API server in the benchmark process, the adapter in its own process and a
counting sink answering 202 in a third). Machine: ${machineLine()}. Medians unless marked.

Once the adapter is ready (initial list done, watch open), the pods (~1 KB of JSON each) are created as fast as the
test server's store takes them (for 10,000 about a second, in the benchmark process); time runs from the first create
until the sink has the last event, the next column from the last create. Resource mode: every event carries the
whole pod. Adapter CPU is user + system time, start-up included. Peak RSS is the adapter process's VmHWM (target:
under 200 MB); about 50 MiB of it is the \`node\` binary's own pages and ~70 MiB the runtime, core, express and
@kubernetes/client-node loaded and idle.

- **Tributary**: the built bundle, default settings (queue of 1,000 events, 64 deliveries in flight, one object's
  events one at a time, \`COMPACT_HEAP=true\`).
- **Tributary, \`COMPACT_HEAP=false\`**: V8 grows its young generation under the storm to two 64 MiB
  semi-spaces on this host.
- **Knative-style sequential sender**: @kubernetes/client-node \`Watch\`, each change sent before the next, as
  Knative's \`resourceDelegate\` sends inside the reflector (same event shape; its unbounded promise chain stands in
  for the watch Knative would stall instead). It runs as TypeScript source with its dependencies unbundled, so its
  RSS is higher for that reason too: compare its times, not its memory.

${tables.join('\n')}
With an instant loopback sink one send at a time is as fast as anything: the storm is bound by parsing and encoding.
Once each answer takes a few milliseconds, as from a broker across the network, sending one event at a time is what
limits Knative's adapter (and stalls its watch); Tributary keeps 64 objects in flight.
`;
writeSection('apiserver', markdown);
console.log(markdown);
