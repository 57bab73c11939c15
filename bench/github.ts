// GitHub adapter vs the obvious baseline (@octokit/webhooks createNodeMiddleware + the cloudevents SDK
// emitter), end to end: autocannon → server → loopback sink, signed push webhooks, 2xx only after the
// sink answered. `npm run bench -- github` (or `node bench/github.ts`); needs `npm run build`.
// `node bench/github.ts baseline <sinkUrl>` runs the baseline server alone (used by the benchmark).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ROOT, spawnJson, stopChild } from './lib/processes.ts';
import { machineLine, markdownTable, median, percentile, writeSection } from './lib/report.ts';

const SECRET = 'bench-secret';
const SOURCE = 'https://github.com/Codertocat/Hello-World';
const ROUNDS = 5;
const RATE_SECONDS = 6;
const LATENCY_SECONDS = 8;
const CONNECTIONS = 16;
const FIXED_RATE = 100;

type Payload = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The baseline as most people would write it: verify + parse with @octokit/webhooks, emit with the SDK. */
async function serveBaseline(sinkUrl: string): Promise<void> {
  const { Webhooks, createNodeMiddleware } = await import('@octokit/webhooks');
  const { CloudEvent, emitterFor, httpTransport } = await import('cloudevents');
  const webhooks = new Webhooks({ secret: SECRET });
  const emit = emitterFor(httpTransport(sinkUrl));
  webhooks.onAny(async ({ id, name, payload }) => {
    const p = payload as Payload;
    await emit(
      new CloudEvent({
        id,
        type: `dev.knative.source.github.${name}`,
        source: SOURCE,
        subject: String(p['compare'] ?? '')
          .split('/')
          .pop(),
        datacontenttype: 'application/json',
        data: payload,
        owner: p['repository']?.owner?.login,
        repository: p['repository']?.name,
        sender: p['sender']?.login,
        pusher: p['pusher']?.name,
        ref: p['ref'],
        created: p['created'],
        deleted: p['deleted'],
        forced: p['forced'],
      }),
    );
  });
  const server = createServer(createNodeMiddleware(webhooks, { path: '/' }));
  server.listen(0, '127.0.0.1', () =>
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`),
  );
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

interface Sample {
  readonly ok: number;
  readonly bad: number;
  readonly seconds: number;
  readonly latencies: number[];
  readonly cpuSeconds: number;
}

async function runBenchmark(): Promise<void> {
  const bundle = `${ROOT}packages/github/dist/main.js`;
  if (!existsSync(bundle)) {
    console.error(`${bundle} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
  // autocannon is CommonJS without type declarations: typed here by what this benchmark uses.
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const examples = JSON.parse(
    readFileSync(`${ROOT}node_modules/@octokit/webhooks-examples/api.github.com/index.json`, 'utf8'),
  ) as { name: string; examples: Payload[] }[];
  const push = JSON.stringify(examples.find((e) => e.name === 'push')?.examples[0]);
  const signature = `sha256=${createHmac('sha256', SECRET).update(push).digest('hex')}`;

  const loadAtStart = loadavg()[0] ?? 0;
  const children: ChildProcess[] = [];
  try {
    const sink = await spawnJson<{ port: number }>(`${ROOT}bench/lib/fast-sink.ts`, []);
    children.push(sink.child);
    const sinkUrl = `http://127.0.0.1:${sink.first.port}/`;
    const adapter = await startAdapter(bundle, sinkUrl);
    children.push(adapter.child);
    const baseline = await spawnJson<{ port: number }>(fileURLToPath(import.meta.url), ['baseline', sinkUrl]);
    children.push(baseline.child);

    const servers = {
      adapter: { pid: adapter.child.pid as number, url: `http://127.0.0.1:${adapter.port}/` },
      baseline: { pid: baseline.child.pid as number, url: `http://127.0.0.1:${baseline.first.port}/` },
    };
    const webhookHeaders = {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': signature,
      'user-agent': 'GitHub-Hookshot/bench',
    };
    const load = (url: string, pid: number, seconds: number, rate?: number) =>
      measure(autocannon, {
        url,
        body: push,
        headers: webhookHeaders,
        uniqueHeader: 'x-github-delivery',
        seconds,
        rate,
        pid,
      });

    for (const server of Object.values(servers)) await load(server.url, server.pid, 2); // warm-up (JIT, pools)
    const rate: Record<string, Sample[]> = { adapter: [], baseline: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['adapter', 'baseline'] as const) : (['baseline', 'adapter'] as const);
      for (const name of order) {
        const sample = await load(servers[name].url, servers[name].pid, RATE_SECONDS);
        rate[name]?.push(sample);
        log(`rate ${name} round ${round + 1}`, sample);
      }
    }

    // Fixed moderate rate, latency without queueing: the sink alone, the adapter and the baseline are loaded at
    // the same time, so the scheduler noise of this shared machine falls on all three alike.
    const sinkHeaders = {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-type': 'dev.knative.source.github.push',
      'ce-source': SOURCE,
    };
    const fixed: Record<string, Sample[]> = { sink: [], adapter: [], baseline: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const [sinkSample, adapterSample, baselineSample] = await Promise.all([
        measure(autocannon, {
          url: sinkUrl,
          body: push,
          headers: sinkHeaders,
          uniqueHeader: 'ce-id',
          seconds: LATENCY_SECONDS,
          rate: FIXED_RATE,
          pid: sink.child.pid as number,
        }),
        load(servers.adapter.url, servers.adapter.pid, LATENCY_SECONDS, FIXED_RATE),
        load(servers.baseline.url, servers.baseline.pid, LATENCY_SECONDS, FIXED_RATE),
      ]);
      for (const [name, sample] of [
        ['sink', sinkSample],
        ['adapter', adapterSample],
        ['baseline', baselineSample],
      ] as const) {
        fixed[name]?.push(sample);
        log(`latency ${name} round ${round + 1}`, sample);
      }
    }
    report(rate, fixed, Buffer.byteLength(push), [loadAtStart, loadavg()[0] ?? 0]);
  } finally {
    for (const child of children.reverse()) await stopChild(child);
  }
}

async function startAdapter(bundle: string, sinkUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const metricsPort = await freePort();
  const child = spawn(process.execPath, [bundle], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env['PATH'] ?? '',
      K_SINK: sinkUrl,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      GITHUB_SECRET_TOKEN: SECRET,
      GITHUB_OWNER_REPO: 'Codertocat/Hello-World',
    },
  });
  for (let attempt = 0; attempt < 200; attempt++) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { child, port };
    await sleep(50);
  }
  throw new Error('the adapter did not become ready');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface AutocannonInstance extends PromiseLike<{ errors: number; timeouts: number }> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (options: Record<string, unknown>) => AutocannonInstance;

interface LoadOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** A header that must differ on every request (GitHub's delivery id; the adapter dedups on it). */
  uniqueHeader: string;
  seconds: number;
  rate?: number | undefined;
  pid: number;
}

async function measure(autocannon: Autocannon, options: LoadOptions): Promise<Sample> {
  const latencies: number[] = [];
  let ok = 0;
  let bad = 0;
  const cpuBefore = cpuSeconds(options.pid);
  const started = process.hrtime.bigint();
  const instance = autocannon({
    url: options.url,
    method: 'POST',
    connections: options.rate === undefined ? CONNECTIONS : 2,
    duration: options.seconds,
    ...(options.rate !== undefined && { overallRate: options.rate }),
    requests: [
      {
        body: options.body,
        headers: options.headers,
        setupRequest: (request: { headers: Record<string, string> }) => {
          request.headers = { ...options.headers, [options.uniqueHeader]: randomUUID() };
          return request;
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
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

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** User + system CPU time of a process so far, from /proc/<pid>/stat (utime, stime). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function log(what: string, s: Sample): void {
  const rate = s.ok / s.seconds;
  console.log(
    `${what}: ${rate.toFixed(0)}/s, p50 ${percentile(s.latencies, 50).toFixed(2)} ms, p99 ${percentile(s.latencies, 99).toFixed(2)} ms, ` +
      `${((s.cpuSeconds / s.ok) * 1e6).toFixed(0)} µs CPU/webhook${s.bad > 0 ? `, ${s.bad} NOT 2xx` : ''}`,
  );
}

function report(
  rate: Record<string, Sample[]>,
  fixed: Record<string, Sample[]>,
  bytes: number,
  load: readonly number[],
): void {
  const med = (samples: Sample[] | undefined, f: (s: Sample) => number) => median((samples ?? []).map(f));
  const perSecond = (s: Sample) => s.ok / s.seconds;
  const p = (q: number) => (s: Sample) => percentile(s.latencies, q);
  const cpu = (s: Sample) => (s.cpuSeconds / s.ok) * 1e6;
  const failures = [...Object.values(rate), ...Object.values(fixed)].flat().reduce((n, s) => n + s.bad, 0);
  const label = {
    adapter: '**@tributary/github** (bundle)',
    baseline: 'createNodeMiddleware + cloudevents emitter',
    sink: 'sink alone (CloudEvent POST)',
  } as Record<string, string>;

  const rateRows = ['adapter', 'baseline'].map((name) => [
    label[name] as string,
    med(rate[name], perSecond).toFixed(0),
    med(rate[name], p(50)).toFixed(2),
    med(rate[name], p(99)).toFixed(2),
    med(rate[name], cpu).toFixed(0),
  ]);
  const sinkP99 = med(fixed['sink'], p(99));
  const sinkP50 = med(fixed['sink'], p(50));
  const fixedRows = ['sink', 'adapter', 'baseline'].map((name) => [
    label[name] as string,
    med(fixed[name], p(50)).toFixed(2),
    med(fixed[name], p(99)).toFixed(2),
    name === 'sink'
      ? '—'
      : `${(med(fixed[name], p(50)) - sinkP50).toFixed(2)} / ${(med(fixed[name], p(99)) - sinkP99).toFixed(2)}`,
  ]);
  const ratio = (f: (s: Sample) => number) => med(rate['adapter'], f) / med(rate['baseline'], f);
  const addedP99 = med(fixed['adapter'], p(99)) - sinkP99;
  const verdict = (met: boolean) => (met ? '**met**' : '**not met**');
  const markdown = `## GitHub: signed push webhooks end to end

Command: \`npm run bench -- github\` (\`node bench/github.ts\`). Machine: ${machineLine()}; 1-minute load
average ${load.map((l) => l.toFixed(1)).join(' at the start, ')} at the end (the machine is shared: tail latencies mostly
measure the scheduler).

autocannon → server → loopback sink (\`bench/lib/fast-sink.ts\`, answers 202), each in its own process on 127.0.0.1.
Every request is GitHub's push example (${bytes} bytes) with a valid \`X-Hub-Signature-256\` and a fresh
\`X-GitHub-Delivery\`; a webhook counts only when the server answered 2xx, which both servers do only after the
sink answered. Baseline: \`createNodeMiddleware\` from @octokit/webhooks with an \`onAny\` handler that builds a
\`CloudEvent\` (same attributes) and sends it with \`emitterFor(httpTransport(sink))\` from \`cloudevents\`.
CPU is the server process's user+system time (/proc) per webhook. Medians of ${ROUNDS} alternating runs, after a 2 s
warm-up each.${failures > 0 ? `\n\n**${failures} requests were not answered 2xx.**` : ''}

Throughput (${CONNECTIONS} connections, ${RATE_SECONDS} s per run):

${markdownTable(['server', 'webhooks/s', 'p50 ms', 'p99 ms', 'CPU µs/webhook'], rateRows)}

Adapter vs baseline: ${ratio(perSecond).toFixed(2)}× the rate, ${ratio(cpu).toFixed(2)}× the CPU per webhook.

Latency at a fixed ${FIXED_RATE} requests/s each (2 connections, ${LATENCY_SECONDS} s per run), the sink alone, the adapter and the
baseline loaded at the same time, and what each server adds over the sink's own latency for the same request:

${markdownTable(['target', 'p50 ms', 'p99 ms', 'added p50 / p99 ms'], fixedRows)}

Targets: rate ahead of the baseline ${verdict(ratio(perSecond) > 1)}; CPU per webhook below it ${verdict(ratio(cpu) < 1)};
p99 added over the sink's own under 2 ms ${verdict(addedP99 < 2)} (${addedP99.toFixed(2)} ms).
`;
  writeSection('github', markdown);
  console.log(markdown);
}

// Dispatch last, once every module-level constant is initialised.
if (process.argv[2] === 'baseline') await serveBaseline(process.argv[3] as string);
else await runBenchmark();
