// Shared machinery of the webhook benchmarks (github.ts, gitlab.ts): each loads an adapter bundle and a baseline
// server end to end (autocannon → server → loopback sink) in repeated rounds, and reports the same figures.
// What stays in each benchmark is what differs: the payload, its signing or token headers, the adapter's env,
// the baseline server and the report's prose.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, spawnJson, stopChild } from './processes.ts';
import { markdownTable, median, percentile } from './report.ts';

/** One autocannon run against one target. */
export interface Sample {
  /** Requests answered 2xx: only those count as delivered webhooks. */
  readonly ok: number;
  /** Requests answered otherwise, failed or timed out. */
  readonly bad: number;
  /** Wall time of the run. */
  readonly seconds: number;
  /** Latency of each 2xx answer, in ms. */
  readonly latencies: number[];
  /** CPU the target process spent during the run. */
  readonly cpuSeconds: number;
}

export type ServerName = 'sink' | 'adapter' | 'baseline';

/** Where to send load, and which process's CPU to charge for it. */
export interface Target {
  readonly url: string;
  readonly pid: number;
}

export interface Servers extends Record<ServerName, Target> {
  /** Stops every process started, the last started first. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** The package whose bundle is benchmarked: `packages/<adapter>/dist/main.js`. */
  readonly adapter: string;
  /** The adapter's own settings (secrets, log level); the sink and ports are set here. */
  readonly adapterEnv: Readonly<Record<string, string>>;
  /** The benchmark's own file, which serves its baseline when run as `node <file> baseline <sinkUrl>`. */
  readonly baselineScript: string;
}

/**
 * Starts the three processes of a webhook benchmark, each on its own so its CPU can be told apart: the loopback
 * sink (fast-sink.ts), the adapter's bundle `packages/<adapter>/dist/main.js` sending to it, and the baseline
 * (`node <baselineScript> baseline <sinkUrl>`, which prints `{ port }`). Exits when the bundle is not built.
 */
export async function startServers(options: ServerOptions): Promise<Servers> {
  const bundle = `${ROOT}packages/${options.adapter}/dist/main.js`;
  if (!existsSync(bundle)) {
    console.error(`${bundle} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.toReversed()) await stopChild(child);
  };
  try {
    const sink = await spawnJson<{ port: number }>(`${ROOT}bench/lib/fast-sink.ts`, []);
    children.push(sink.child);
    const sinkUrl = `http://127.0.0.1:${sink.first.port}/`;
    const adapter = await startAdapter(bundle, sinkUrl, options.adapterEnv);
    children.push(adapter.child);
    const baseline = await spawnJson<{ port: number }>(options.baselineScript, ['baseline', sinkUrl]);
    children.push(baseline.child);
    return {
      sink: { url: sinkUrl, pid: sink.child.pid as number },
      adapter: { url: `http://127.0.0.1:${adapter.port}/`, pid: adapter.child.pid as number },
      baseline: { url: `http://127.0.0.1:${baseline.first.port}/`, pid: baseline.child.pid as number },
      stop,
    };
  } catch (error) {
    await stop(); // a half-started set would outlive the benchmark
    throw error;
  }
}

/**
 * Runs the adapter bundle on free ports with only the env given (plus PATH), so nothing from the caller's
 * environment changes what is measured, and waits until it reports ready.
 */
export async function startAdapter(
  bundle: string,
  sinkUrl: string,
  env: Readonly<Record<string, string>>,
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const metricsPort = await freePort();
  const child = spawn(process.execPath, [bundle], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env['PATH'] ?? '',
      K_SINK: sinkUrl,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      ...env,
    },
  });
  // Up to 10 s: the bundle starts in well under a second, but a loaded shared machine can stall it.
  for (let attempt = 0; attempt < 200; attempt++) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { child, port };
    await sleep(50);
  }
  await stopChild(child);
  throw new Error('the adapter did not become ready');
}

/** A loopback port nothing listens on right now (the OS picks it; it is released before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * For a baseline server process: prints `{ port }` as its first stdout line, which spawnJson waits for, and exits
 * on SIGTERM, which stopChild sends. Call once the server listens.
 */
export function serveForBenchmark(server: Server): void {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections(); // keep-alive connections from autocannon would hold close() open
    process.exit(0);
  });
}

// The parts of autocannon called here (it ships no types: see autocannon.d.ts).
interface AutocannonRequest {
  headers: Record<string, string>;
}
interface AutocannonOptions {
  readonly url: string;
  readonly method: 'POST';
  readonly connections: number;
  readonly duration: number;
  readonly overallRate?: number;
  readonly requests: readonly {
    readonly body: string;
    readonly headers: Record<string, string>;
    readonly setupRequest: (request: AutocannonRequest) => AutocannonRequest;
  }[];
}
interface AutocannonInstance extends PromiseLike<{ readonly errors: number; readonly timeouts: number }> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (options: AutocannonOptions) => AutocannonInstance;

export interface LoadOptions extends Target {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * A header given a fresh UUID on every request (a delivery id, idempotency key or CloudEvent id): the adapters
   * deduplicate on it, so a repeated value would measure the redelivery path instead of a delivery.
   */
  readonly uniqueHeader: string;
  readonly seconds: number;
  readonly connections: number;
  /** Requests per second over all connections; as fast as the target answers when absent. */
  readonly rate?: number | undefined;
}

/** POSTs `body` to the target for `seconds`, counting 2xx answers and their latencies, and the target's CPU. */
export async function measure(options: LoadOptions): Promise<Sample> {
  // Loaded on first use, so a baseline process that imports this module does not load autocannon too.
  const { default: autocannon } = (await import('autocannon')) as { default: Autocannon };
  const latencies: number[] = [];
  let ok = 0;
  let bad = 0;
  const cpuBefore = cpuSeconds(options.pid);
  const started = process.hrtime.bigint();
  const headers = { ...options.headers };
  const instance = autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate !== undefined && { overallRate: options.rate }),
    requests: [
      {
        body: options.body,
        headers,
        setupRequest: (request) => {
          request.headers = { ...headers, [options.uniqueHeader]: randomUUID() };
          return request;
        },
      },
    ],
  });
  instance.on('response', (_client, status, _bytes, responseTime) => {
    if (status >= 200 && status < 300) {
      ok++;
      latencies.push(responseTime);
    } else bad++;
  });
  const result = await instance;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    ok,
    bad: bad + result.errors + result.timeouts,
    seconds,
    latencies,
    cpuSeconds: cpuSeconds(options.pid) - cpuBefore,
  };
}

/** Clock ticks per second, the unit of /proc/<pid>/stat's CPU times (100 on nearly every Linux). */
export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** User + system CPU time of a process so far, from /proc/<pid>/stat (utime, stime). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count the fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** How long and how hard each phase of a webhook benchmark loads the servers. */
export interface Phases {
  /** Runs per server and phase; the report gives their medians. */
  readonly rounds: number;
  /** As many requests as the servers answer: their throughput and CPU per webhook. */
  readonly throughput: { readonly connections: number; readonly seconds: number };
  /**
   * A fixed moderate `rate` (requests/s to each target), so latency without queueing; the sink alone is measured
   * too, for its own latency. `together`: the sink, adapter and baseline are loaded at the same time rather than
   * in turn.
   */
  readonly latency: {
    readonly rate: number;
    readonly connections: number;
    readonly seconds: number;
    readonly together: boolean;
  };
}

/** What each target is sent: a server the webhook, the sink the CloudEvent a server would send it. */
export type RequestFor = (name: ServerName) => Pick<LoadOptions, 'body' | 'headers' | 'uniqueHeader'>;

export interface Results {
  readonly rate: Record<'adapter' | 'baseline', Sample[]>;
  readonly fixed: Record<ServerName, Sample[]>;
}

/** Starts the servers, runs both phases against them and stops them again. */
export async function benchmarkWebhooks(
  options: ServerOptions & { readonly phases: Phases; readonly request: RequestFor },
): Promise<Results> {
  const servers = await startServers(options);
  try {
    return await runPhases(servers, options.phases, options.request);
  } finally {
    await servers.stop();
  }
}

/**
 * A 2 s warm-up of each server (JIT, connection pools), then the throughput phase and the latency phase, each
 * `rounds` times.
 */
export async function runPhases(servers: Servers, phases: Phases, request: RequestFor): Promise<Results> {
  const load = (name: ServerName, seconds: number, rate?: number) =>
    measure({
      ...servers[name],
      ...request(name),
      seconds,
      rate,
      connections: rate === undefined ? phases.throughput.connections : phases.latency.connections,
    });
  for (const name of ['adapter', 'baseline'] as const) await load(name, 2);
  const rate = await runRounds('rate', phases.rounds, ['adapter', 'baseline'], false, (name) =>
    load(name, phases.throughput.seconds),
  );
  const fixed = await runRounds(
    'latency',
    phases.rounds,
    ['sink', 'adapter', 'baseline'],
    phases.latency.together,
    (name) => load(name, phases.latency.seconds, phases.latency.rate),
  );
  return { rate, fixed };
}

/**
 * Runs `rounds` rounds of one run per name and logs each run. In turn, the order reverses every other round so
 * that no target always runs first (on a warmer or colder machine); together, the scheduler noise of a shared
 * machine falls on every target alike.
 */
export async function runRounds<N extends ServerName>(
  phase: string,
  rounds: number,
  names: readonly N[],
  together: boolean,
  run: (name: N) => Promise<Sample>,
): Promise<Record<N, Sample[]>> {
  const samples = Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<N, Sample[]>;
  for (let round = 0; round < rounds; round++) {
    const record = (name: N, sample: Sample) => {
      samples[name].push(sample);
      log(`${phase} ${name} round ${round + 1}`, sample);
    };
    if (together) {
      const results = await Promise.all(names.map(run));
      names.forEach((name, i) => record(name, results[i] as Sample));
    } else for (const name of round % 2 === 0 ? names : names.toReversed()) record(name, await run(name));
  }
  return samples;
}

/** One line per run as it ends, so a long benchmark shows its progress and any failures early. */
export function log(what: string, s: Sample): void {
  console.log(
    `${what}: ${perSecond(s).toFixed(0)}/s, p50 ${latency(50)(s).toFixed(2)} ms, p99 ${latency(99)(s).toFixed(2)} ms, ` +
      `${cpuMicros(s).toFixed(0)} µs CPU/webhook${s.bad > 0 ? `, ${s.bad} NOT 2xx` : ''}`,
  );
}

// Figures of one run, and their medians over a phase's runs: what the reports' tables show.

/** Webhooks delivered (answered 2xx) per second. */
export const perSecond = (s: Sample): number => s.ok / s.seconds;
/** A latency percentile (0..100) of the 2xx answers, in ms. */
export const latency =
  (q: number) =>
  (s: Sample): number =>
    percentile(s.latencies, q);
/** The target's CPU per delivered webhook, in µs. */
export const cpuMicros = (s: Sample): number => (s.cpuSeconds / s.ok) * 1e6;

export function medianOf(samples: readonly Sample[], figure: (s: Sample) => number): number {
  return median(samples.map(figure));
}

/** A sentence for the report when any request of any phase was not answered 2xx (empty when none). */
export function failureNote(
  ...phases: readonly Readonly<Partial<Record<ServerName, readonly Sample[]>>>[]
): string {
  const failures = phases
    .flatMap((phase) => Object.values(phase))
    .flat()
    .reduce((n, s) => n + s.bad, 0);
  return failures > 0 ? `\n\n**${failures} requests were not answered 2xx.**` : '';
}

/** Median of the adapter's runs over the baseline's, for one figure. */
export function adapterOverBaseline(
  rate: Readonly<Record<'adapter' | 'baseline', readonly Sample[]>>,
  figure: (s: Sample) => number,
): number {
  return medianOf(rate.adapter, figure) / medianOf(rate.baseline, figure);
}

/** The report's throughput paragraph: the table of the rate phase and the adapter-vs-baseline ratios. */
export function throughputMarkdown(
  rate: Readonly<Record<'adapter' | 'baseline', readonly Sample[]>>,
  label: Readonly<Record<'adapter' | 'baseline', string>>,
  { connections, seconds }: Phases['throughput'],
): string {
  const rows = (['adapter', 'baseline'] as const).map((name) => [
    label[name],
    medianOf(rate[name], perSecond).toFixed(0),
    medianOf(rate[name], latency(50)).toFixed(2),
    medianOf(rate[name], latency(99)).toFixed(2),
    medianOf(rate[name], cpuMicros).toFixed(0),
  ]);
  return `Throughput (${connections} connections, ${seconds} s per run):

${markdownTable(['server', 'webhooks/s', 'p50 ms', 'p99 ms', 'CPU µs/webhook'], rows)}

Adapter vs baseline: ${adapterOverBaseline(rate, perSecond).toFixed(2)}× the rate, ${adapterOverBaseline(rate, cpuMicros).toFixed(2)}× the CPU per webhook.`;
}

/**
 * The latency phase's table: per target p50, p99 and what a server adds over the sink's own p50 / p99 for the same
 * request (which separates the server's work from the loopback's); with `cpu`, also the CPU per webhook.
 */
export function latencyTable(
  fixed: Readonly<Record<ServerName, readonly Sample[]>>,
  label: Readonly<Record<ServerName, string>>,
  { cpu }: { readonly cpu: boolean },
): string {
  const sinkP50 = medianOf(fixed.sink, latency(50));
  const sinkP99 = medianOf(fixed.sink, latency(99));
  const rows = (['sink', 'adapter', 'baseline'] as const).map((name) => {
    const p50 = medianOf(fixed[name], latency(50));
    const p99 = medianOf(fixed[name], latency(99));
    const added = name === 'sink' ? '—' : `${(p50 - sinkP50).toFixed(2)} / ${(p99 - sinkP99).toFixed(2)}`;
    const row = [label[name], p50.toFixed(2), p99.toFixed(2), added];
    return cpu ? [...row, name === 'sink' ? '—' : medianOf(fixed[name], cpuMicros).toFixed(0)] : row;
  });
  const header = ['target', 'p50 ms', 'p99 ms', 'added p50 / p99 ms'];
  return markdownTable(cpu ? [...header, 'CPU µs/webhook'] : header, rows);
}
