// SQS scale-out: one adapter process against two on the same queue. Each run starts the adapter
// process(es) on a fresh, empty fauxqs queue, waits until every one is ready (long-polling), puts
// 10,000 messages in the queue at once, and times the drain until the queue is empty. The sink, a
// third kind of process, records every CloudEvent id so duplicates are counted. Two sinks: one that
// answers at once (the adapters are CPU-bound) and one that answers after 50 ms, as a remote broker
// does (each process is bound by its in-flight window). 1 and 2 processes alternate over the rounds;
// figures are medians.
//
//   node bench/sqsscale.ts            (after `npm run build`)
//
// The same file is the counting sink's entry point (`node bench/sqsscale.ts sink`).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { freePort } from '@tributary/testkit';
import { spawnJson, stopChild } from './lib/processes.ts';
import { machineLine, markdownTable, median, writeSection } from './lib/report.ts';

const MESSAGES = 10_000;
const ROUNDS = Number(process.env['SQS_SCALE_ROUNDS'] ?? 3);
const RUN_LIMIT_MS = 40_000;
const REGION = 'us-east-1';
const SCENARIOS = [
  { name: 'sink answers at once', delayMs: 0 },
  { name: 'sink answers after 50 ms', delayMs: 50 },
] as const;
type Scenario = (typeof SCENARIOS)[number];
const SELF = fileURLToPath(import.meta.url);
const BUNDLE = fileURLToPath(new URL('../packages/sqs/dist/main.js', import.meta.url));
/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS = 100;

interface RunResult {
  readonly scenario: Scenario;
  readonly processes: number;
  readonly rate: number;
  readonly seconds: number;
  /** Events the sink accepted beyond one per message. */
  readonly duplicates: number;
  /** Events each adapter process delivered, from its own /metrics. */
  readonly split: readonly number[];
  /** CPU ms per 1,000 messages: all adapter processes together, fauxqs (this process), the sink. */
  readonly adapterCpu: number;
  readonly fauxqsCpu: number;
  readonly sinkCpu: number;
  /** Share of the whole machine's CPU time busy during the drain, 0–1. */
  readonly machineBusy: number;
}

if (process.argv[2] === 'sink') await countingSink();
else await main();

async function main(): Promise<void> {
  if (!existsSync(BUNDLE)) {
    console.error(`${BUNDLE} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const { child: sink, first } = await spawnJson<{ port: number }>(SELF, ['sink']);
  const sinkUrl = `http://127.0.0.1:${first.port}`;
  const results: RunResult[] = [];
  const started = Date.now();
  try {
    for (const scenario of SCENARIOS) {
      for (let round = 0; round < ROUNDS; round++) {
        for (const processes of round % 2 === 0 ? [1, 2] : [2, 1]) {
          const name = `scale-${scenario.delayMs}-${round}-${processes}`;
          const result = await runOnce(fauxqs, scenario, processes, sink, sinkUrl, name);
          results.push(result);
          console.log(
            `${scenario.name}, round ${round + 1}, ${processes} process(es): ${result.rate.toFixed(0)} messages/s, ` +
              `${result.duplicates} duplicates, split ${result.split.join('/')}, ` +
              `${result.adapterCpu.toFixed(0)} ms adapter CPU per 1,000, machine ${(result.machineBusy * 100).toFixed(0)} % busy`,
          );
        }
      }
    }
  } finally {
    await stopChild(sink);
    await fauxqs.stop();
  }
  const markdown = report(results, (Date.now() - started) / 1000);
  console.log(`\n${markdown}`);
  writeSection('sqsscale', markdown);
}

/** `processes` adapter processes drain one freshly filled queue. */
async function runOnce(
  fauxqs: FauxqsServer,
  scenario: Scenario,
  processes: number,
  sink: ChildProcess,
  sinkUrl: string,
  name: string,
): Promise<RunResult> {
  const { queueUrl } = fauxqs.createQueue(name);
  await fetch(`${sinkUrl}/reset?delayMs=${scenario.delayMs}`, { method: 'POST' });
  const adapters = await Promise.all(
    Array.from({ length: processes }, () => startAdapter(fauxqs.address, queueUrl, `${sinkUrl}/events`)),
  );
  await Promise.all(adapters.map((adapter) => untilReady(adapter.port)));

  // Every process is long-polling the empty queue; the messages all land in one synchronous step.
  fill(fauxqs, name);
  const cpu0 = cpuSnapshot(adapters, sink);
  const t0 = performance.now();
  while (remaining(fauxqs, name) > 0 && performance.now() - t0 < RUN_LIMIT_MS) await sleep(10);
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuSnapshot(adapters, sink);
  const drained = MESSAGES - remaining(fauxqs, name);

  const split = await Promise.all(adapters.map((adapter) => delivered(adapter.metricsPort)));
  await Promise.all(adapters.map((adapter) => stopChild(adapter.child)));
  fauxqs.deleteQueue(name);
  const stats = (await (await fetch(`${sinkUrl}/stats`)).json()) as { events: number; distinct: number };
  if (drained < MESSAGES || stats.distinct < MESSAGES)
    throw new Error(`${name}: ${drained} of ${MESSAGES} drained, ${stats.distinct} distinct ids at the sink`);
  const perThousand = (ms: number) => (ms * 1000) / MESSAGES;
  return {
    scenario,
    processes,
    rate: MESSAGES / seconds,
    seconds,
    duplicates: stats.events - stats.distinct,
    split,
    adapterCpu: perThousand(cpu1.adapters - cpu0.adapters),
    fauxqsCpu: perThousand(cpu1.self - cpu0.self),
    sinkCpu: perThousand(cpu1.sink - cpu0.sink),
    machineBusy: (cpu1.machine.busy - cpu0.machine.busy) / (cpu1.machine.total - cpu0.machine.total),
  };
}

function fill(fauxqs: FauxqsServer, name: string): void {
  for (let i = 0; i < MESSAGES; i++) {
    fauxqs.sendMessage(name, JSON.stringify({ order: i, customer: `c-${i % 97}`, amount: (i * 7) % 1000 }), {
      messageAttributes: {
        TraceId: { DataType: 'String', StringValue: `trace-${i}` },
        Kind: { DataType: 'String', StringValue: 'order.created' },
      },
    });
  }
}

interface Adapter {
  readonly child: ChildProcess;
  readonly port: number;
  readonly metricsPort: number;
}

/** The adapter bundle with its defaults (4 receivers, 64 in flight, SDK on its I/O thread). */
async function startAdapter(endpoint: string, queueUrl: string, sinkUrl: string): Promise<Adapter> {
  const port = await freePort();
  const metricsPort = await freePort();
  const child = spawn(process.execPath, [BUNDLE], {
    env: {
      PATH: process.env['PATH'] ?? '',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: endpoint,
      SQS_QUEUE_URL: queueUrl,
      SQS_WAIT_TIME_SECONDS: '1',
      K_SINK: sinkUrl,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, port, metricsPort };
}

async function untilReady(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  throw new Error(`adapter on port ${port} not ready within 20 s`);
}

/** `tributary_events_delivered_total` from one adapter's /metrics. */
async function delivered(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('tributary_events_delivered_total'));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Messages not yet deleted: ready, delayed or in flight. */
function remaining(fauxqs: FauxqsServer, name: string): number {
  const state = fauxqs.inspectQueue(name);
  return state === undefined
    ? 0
    : state.messages.ready.length + state.messages.delayed.length + state.messages.inflight.length;
}

interface CpuSnapshot {
  readonly adapters: number;
  readonly self: number;
  readonly sink: number;
  readonly machine: { busy: number; total: number };
}

function cpuSnapshot(adapters: readonly Adapter[], sink: ChildProcess): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    adapters: adapters.reduce((sum, adapter) => sum + processCpuMs(adapter.child), 0),
    self: (usage.user + usage.system) / 1000,
    sink: processCpuMs(sink),
    machine: machineCpu(),
  };
}

/** CPU time (user + system, all threads) a child process has used so far, from /proc. */
function processCpuMs(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS);
}

/** Busy and total CPU ticks of the whole machine (first line of /proc/stat; idle + iowait are not busy). */
function machineCpu(): { busy: number; total: number } {
  const ticks = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = ticks.reduce((sum, tick) => sum + tick, 0);
  return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
}

/** Loopback sink: 202 to every event (after `delayMs`), keeping its `ce-id` so duplicates can be counted. */
async function countingSink(): Promise<void> {
  let events = 0;
  let ids = new Set<string>();
  let delayMs = 0;
  const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    request.resume();
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://sink');
      if (url.pathname === '/stats') return response.end(JSON.stringify({ events, distinct: ids.size }));
      if (url.pathname === '/reset') {
        events = 0;
        ids = new Set();
        delayMs = Number(url.searchParams.get('delayMs') ?? 0);
        return response.writeHead(204).end();
      }
      events++;
      ids.add(String(request.headers['ce-id']));
      if (delayMs > 0) setTimeout(() => response.writeHead(202).end(), delayMs);
      else response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  process.on('SIGTERM', () => process.exit(0));
}

function report(results: readonly RunResult[], totalSeconds: number): string {
  const of = (scenario: Scenario, processes: number) =>
    results.filter((result) => result.scenario === scenario && result.processes === processes);
  const med = (scenario: Scenario, processes: number, pick: (result: RunResult) => number) =>
    median(of(scenario, processes).map(pick));
  const ratio = (scenario: Scenario) => med(scenario, 2, (r) => r.rate) / med(scenario, 1, (r) => r.rate);
  const duplicates = results.reduce((sum, result) => sum + result.duplicates, 0);
  const [fast, slow] = SCENARIOS;
  const row = (scenario: Scenario, processes: number) => [
    scenario.name,
    String(processes),
    med(scenario, processes, (r) => r.rate).toFixed(0),
    of(scenario, processes)
      .map((r) => r.rate.toFixed(0))
      .join(', '),
    of(scenario, processes)
      .map((r) => r.split.join(' / '))
      .join('; '),
    of(scenario, processes).reduce((sum, r) => sum + r.duplicates, 0),
    med(scenario, processes, (r) => r.adapterCpu).toFixed(0),
    med(scenario, processes, (r) => r.fauxqsCpu).toFixed(0),
    med(scenario, processes, (r) => r.sinkCpu).toFixed(0),
    cores(scenario, processes).toFixed(2),
    `${(med(scenario, processes, (r) => r.machineBusy) * 100).toFixed(0)} %`,
  ];
  /** Cores the adapter processes kept busy together: CPU per message × messages per second. */
  const cores = (scenario: Scenario, processes: number) =>
    med(scenario, processes, (r) => (r.adapterCpu * r.rate) / 1_000_000);
  const others = (scenario: Scenario, processes: number) =>
    med(scenario, processes, (r) => ((r.fauxqsCpu + r.sinkCpu) * r.rate) / 1_000_000);
  const busy = (scenario: Scenario, processes: number) =>
    `${(med(scenario, processes, (r) => r.machineBusy) * 100).toFixed(0)} %`;
  return `## SQS: one adapter process or two on the same queue

${machineLine()}; \`node bench/sqsscale.ts\`; per sink, ${ROUNDS} rounds with 1 and 2 processes alternating (1, 2 / 2, 1 / …); ${totalSeconds.toFixed(0)} s in all.

Each run creates a fresh fauxqs queue (fauxqs runs in the benchmark process), starts the adapter bundle
once or twice with its defaults (\`SQS_RECEIVERS=4\`, \`SQS_MAX_INFLIGHT=64\`, SDK on its I/O thread), waits
until every process is ready and long-polling, then puts ${MESSAGES.toLocaleString('en')} messages in the queue
at once and times the drain until the queue is empty. The sink is a loopback HTTP server in its own process
that answers 202, at once or after 50 ms (a remote broker's latency), and keeps every \`ce-id\`: events beyond
one per message are duplicates. "Split" is each process's \`tributary_events_delivered_total\`. CPU is per
1,000 messages, user + system from \`/proc\`; "adapter cores in use" is that CPU time over the drain's
wall-clock time (all adapter processes together); "machine busy" is the share of all cores' time not idle
during the drain (the machine is shared: other work counts too).

${markdownTable(
  [
    'sink',
    'adapter processes',
    'messages/s (median)',
    'runs',
    'split per run',
    'duplicates',
    'adapter CPU ms / 1,000',
    'fauxqs CPU ms / 1,000',
    'sink CPU ms / 1,000',
    'adapter cores in use',
    'machine busy',
  ],
  SCENARIOS.flatMap((scenario) => [row(scenario, 1), row(scenario, 2)]),
)}

Two processes / one (medians): **${ratio(fast).toFixed(2)}×** when the ${fast.name} (${sameRound(results, fast)}),
**${ratio(slow).toFixed(2)}×** when the ${slow.name} (${sameRound(results, slow)}).
Duplicates over all ${results.length} runs (${(results.length * MESSAGES).toLocaleString('en')} messages): **${duplicates}**.

Everything here shares ${machineLine().split(',')[0]} cores: the adapters, the sink and fauxqs, a
single-threaded emulator that serves every receive and delete. With a sink that answers at once one process
is CPU-bound: it keeps ${cores(fast, 1).toFixed(2)} cores busy (its main thread and its SDK thread), fauxqs and the sink
another ${others(fast, 1).toFixed(2)}, and the machine is ${busy(fast, 1)} busy (${busy(fast, 2)} with two): a second process
${ratio(fast) >= 1.1 ? 'still adds some throughput, but less than a second machine would' : 'cannot add throughput on these two cores; it competes with the first, the sink and fauxqs for them and pays its own copy of the SDK and HTTP work (more CPU per message)'}.
With a sink 50 ms away a process is bound by its window of 64 deliveries in flight (\`K_SINK_CONCURRENCY\`,
which \`SQS_MAX_INFLIGHT\` follows: at most 64 / 50 ms = 1,280 messages/s), not by CPU (it uses ${cores(slow, 1).toFixed(2)} of a core):
a second replica brings a second window and the rate ${ratio(slow) >= 1.1 ? 'rises' : 'does not rise'} accordingly. (Raising
\`K_SINK_CONCURRENCY\` widens one process's window too; replicas also add CPU, memory and fault isolation.)
In both cases the queue splits the work between replicas that know nothing of each other, and ${duplicates === 0 ? 'nothing is delivered twice' : `${duplicates} events went out twice (at least once allows it)`}. On a cluster each replica brings its own CPU: scale on queue depth with KEDA or on CPU
with an HPA (packages/sqs/README.md, "Scaling out").
`;
}

function sameRound(results: readonly RunResult[], scenario: Scenario): string {
  const runs = results.filter((result) => result.scenario === scenario);
  const rounds: string[] = [];
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const [x, y] = [runs[i] as RunResult, runs[i + 1] as RunResult];
    const [one, two] = x.processes === 1 ? [x, y] : [y, x];
    rounds.push(`round ${i / 2 + 1}: ${(two.rate / one.rate).toFixed(2)}×`);
  }
  return rounds.join(', ');
}
