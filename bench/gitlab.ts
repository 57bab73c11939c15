// GitLab adapter vs the naive baseline (express + express.json() + the cloudevents SDK emitter), end to
// end: autocannon → server → loopback sink, token-checked push webhooks, 2xx only after the sink answered.
// `npm run bench -- gitlab` (or `node bench/gitlab.ts`); needs `npm run build`.
// `node bench/gitlab.ts sink` and `node bench/gitlab.ts baseline <sinkUrl>` run the helper processes.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { machineLine, markdownTable, median, percentile, writeSection } from './lib/report.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const TOKEN = 'bench-gitlab-token';
const SOURCE = 'https://gitlab.example.com/mike/diaspora';
const ROUNDS = 3;
const RATE_SECONDS = 10;
const LATENCY_SECONDS = 5;
const CONNECTIONS = 16;
const FIXED_RATE = 200;

/** Reads the body and answers 202, in its own process so its CPU is not the server's. */
function serveSink(): void {
  const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    request.on('data', () => {});
    request.on('end', () => response.writeHead(202).end());
  });
  server.listen(0, '127.0.0.1', () => printPort(server));
  onSigterm(server);
}

/** The baseline as most people would write it: express.json() parses, the SDK emitter sends. */
async function serveBaseline(sinkUrl: string): Promise<void> {
  const { default: express } = await import('express');
  const { CloudEvent, emitterFor, httpTransport } = await import('cloudevents');
  const emit = emitterFor(httpTransport(sinkUrl));
  const app = express();
  app.use(express.json({ limit: '25mb' }));
  app.post(/.*/, async (request, response) => {
    const header = request.header('x-gitlab-event') ?? '';
    if (request.header('x-gitlab-token') !== TOKEN) return void response.status(401).end();
    try {
      await emit(
        new CloudEvent({
          id: request.header('idempotency-key') ?? randomUUID(),
          type: `dev.knative.sources.gitlab.${header
            .replace(/ Hook$/, '')
            .replaceAll(' ', '_')
            .toLowerCase()}`,
          source: SOURCE,
          subject: (request.body as { ref?: string }).ref,
          datacontenttype: 'application/json',
          data: request.body as object,
          comgitlabevent: header,
        }),
      );
      response.status(202).end();
    } catch {
      response.status(500).end();
    }
  });
  const server = app.listen(0, '127.0.0.1', () => printPort(server));
  onSigterm(server);
}

function printPort(server: { address(): AddressInfo | string | null }): void {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
}

function onSigterm(server: { close(): void; closeAllConnections(): void }): void {
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}

interface Sample {
  readonly ok: number;
  readonly bad: number;
  readonly seconds: number;
  readonly latencies: number[];
  readonly cpuSeconds: number;
}

type Target = { readonly url: string; readonly pid: number };

async function runBenchmark(): Promise<void> {
  const bundle = `${ROOT}packages/gitlab/dist/main.js`;
  if (!existsSync(bundle)) {
    console.error(`${bundle} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
  const { default: autocannon } = await import('autocannon');
  // GitLab's documented push example, byte for byte.
  const push = readFileSync(`${ROOT}packages/gitlab/test/fixtures/push.json`, 'utf8');
  const headers = {
    'content-type': 'application/json',
    'x-gitlab-event': 'Push Hook',
    'x-gitlab-token': TOKEN,
    'user-agent': 'GitLab/18.2.0',
  };
  const children: ChildProcess[] = [];
  try {
    const sink = await spawnJson(SELF, ['sink']);
    children.push(sink.child);
    const sinkUrl = `http://127.0.0.1:${sink.port}/`;
    const adapter = await startAdapter(bundle, sinkUrl);
    children.push(adapter.child);
    const baseline = await spawnJson(SELF, ['baseline', sinkUrl]);
    children.push(baseline.child);
    const targets: Record<'adapter' | 'baseline' | 'sink', Target> = {
      adapter: { url: `http://127.0.0.1:${adapter.port}/`, pid: adapter.child.pid as number },
      baseline: { url: `http://127.0.0.1:${baseline.port}/`, pid: baseline.child.pid as number },
      sink: { url: sinkUrl, pid: sink.child.pid as number },
    };
    // A fresh Idempotency-Key per request, as GitLab 17.4+ sends: no request is a redelivery.
    const load = (target: Target, seconds: number, rate?: number, extra: Record<string, string> = {}) =>
      measure(autocannon, {
        ...target,
        body: push,
        headers: { ...headers, ...extra },
        uniqueHeader: 'idempotency-key',
        seconds,
        rate,
      });

    for (const name of ['adapter', 'baseline'] as const) await load(targets[name], 2); // warm-up (JIT, pools)
    const rate: Record<string, Sample[]> = { adapter: [], baseline: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 === 0
        ? (['adapter', 'baseline'] as const)
        : (['baseline', 'adapter'] as const)) {
        const sample = await load(targets[name], RATE_SECONDS);
        rate[name]?.push(sample);
        log(`rate ${name} round ${round + 1}`, sample);
      }
    }
    // Fixed moderate rate: latency without queueing, against the sink's own latency for the same request.
    const ceHeaders = {
      'ce-specversion': '1.0',
      'ce-type': 'dev.knative.sources.gitlab.push',
      'ce-source': SOURCE,
    };
    const fixed: Record<string, Sample[]> = { sink: [], adapter: [], baseline: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order =
        round % 2 === 0
          ? (['sink', 'adapter', 'baseline'] as const)
          : (['baseline', 'adapter', 'sink'] as const);
      for (const name of order) {
        const sample = await load(
          targets[name],
          LATENCY_SECONDS,
          FIXED_RATE,
          name === 'sink' ? ceHeaders : {},
        );
        fixed[name]?.push(sample);
        log(`latency ${name} round ${round + 1}`, sample);
      }
    }
    report(rate, fixed, Buffer.byteLength(push));
  } finally {
    for (const child of children.reverse()) await stopChild(child);
  }
}

function spawnJson(script: string, args: readonly string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve({ child, port: (JSON.parse(line) as { port: number }).port }),
    );
    child.once('exit', (code) =>
      reject(new Error(`${script} ${args.join(' ')} exited with ${code} before printing its port`)),
    );
  });
}

async function startAdapter(bundle: string, sinkUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [bundle], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env['PATH'] ?? '',
      K_SINK: sinkUrl,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'warn',
      GITLAB_SECRET_TOKEN: TOKEN,
      GITLAB_EVENT_SOURCE: SOURCE,
    },
  });
  for (let attempt = 0; attempt < 200; attempt++) {
    if (
      await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, port };
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

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface LoadOptions extends Target {
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly uniqueHeader: string;
  readonly seconds: number;
  readonly rate?: number | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function measure(autocannon: any, options: LoadOptions): Promise<Sample> {
  const latencies: number[] = [];
  let ok = 0;
  let bad = 0;
  const cpuBefore = cpuSeconds(options.pid);
  const started = process.hrtime.bigint();
  const instance = autocannon({
    url: options.url,
    method: 'POST',
    connections: options.rate === undefined ? CONNECTIONS : 4,
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
  console.log(
    `${what}: ${(s.ok / s.seconds).toFixed(0)}/s, p50 ${percentile(s.latencies, 50).toFixed(2)} ms, p99 ${percentile(s.latencies, 99).toFixed(2)} ms, ` +
      `${((s.cpuSeconds / s.ok) * 1e6).toFixed(0)} µs CPU/webhook${s.bad > 0 ? `, ${s.bad} NOT 2xx` : ''}`,
  );
}

function report(rate: Record<string, Sample[]>, fixed: Record<string, Sample[]>, bytes: number): void {
  const med = (samples: Sample[] | undefined, f: (s: Sample) => number) => median((samples ?? []).map(f));
  const perSecond = (s: Sample) => s.ok / s.seconds;
  const p = (q: number) => (s: Sample) => percentile(s.latencies, q);
  const cpu = (s: Sample) => (s.cpuSeconds / s.ok) * 1e6;
  const failures = [...Object.values(rate), ...Object.values(fixed)].flat().reduce((n, s) => n + s.bad, 0);
  const label: Record<string, string> = {
    adapter: '**@tributary/gitlab** (bundle)',
    baseline: 'express + express.json() + cloudevents emitter',
    sink: 'sink alone (CloudEvent POST)',
  };
  const rateRows = ['adapter', 'baseline'].map((name) => [
    label[name] as string,
    med(rate[name], perSecond).toFixed(0),
    med(rate[name], p(50)).toFixed(2),
    med(rate[name], p(99)).toFixed(2),
    med(rate[name], cpu).toFixed(0),
  ]);
  const sinkP50 = med(fixed['sink'], p(50));
  const sinkP99 = med(fixed['sink'], p(99));
  const fixedRows = ['sink', 'adapter', 'baseline'].map((name) => [
    label[name] as string,
    med(fixed[name], p(50)).toFixed(2),
    med(fixed[name], p(99)).toFixed(2),
    name === 'sink'
      ? '—'
      : `${(med(fixed[name], p(50)) - sinkP50).toFixed(2)} / ${(med(fixed[name], p(99)) - sinkP99).toFixed(2)}`,
    name === 'sink' ? '—' : med(fixed[name], cpu).toFixed(0),
  ]);
  const ratio = (f: (s: Sample) => number) => med(rate['adapter'], f) / med(rate['baseline'], f);
  const markdown = `## GitLab: token-checked push webhooks end to end

Command: \`npm run bench -- gitlab\` (\`node bench/gitlab.ts\`). Machine: ${machineLine()}.

autocannon → server → loopback sink (answers 202), each in its own process on 127.0.0.1. Every request is
GitLab's documented push example (${bytes} bytes, \`X-Gitlab-Event: Push Hook\`) with the right \`X-Gitlab-Token\`
and a fresh \`Idempotency-Key\`; a webhook counts only when the server answered 2xx, which both servers do only
after the sink answered. Baseline: express with \`express.json()\` and a handler that checks the token with \`!==\`,
builds a \`CloudEvent\` (same type, source, subject, \`comgitlabevent\`) and sends it with
\`emitterFor(httpTransport(sink))\` from \`cloudevents\`. The adapter forwards the raw body; the baseline
re-serializes the parsed one. CPU is the server process's user+system time (/proc) per webhook. Medians of
${ROUNDS} alternating runs, after a 2 s warm-up each.${failures > 0 ? `\n\n**${failures} requests were not answered 2xx.**` : ''}

Throughput (${CONNECTIONS} connections, ${RATE_SECONDS} s per run):

${markdownTable(['server', 'webhooks/s', 'p50 ms', 'p99 ms', 'CPU µs/webhook'], rateRows)}

Adapter vs baseline: ${ratio(perSecond).toFixed(2)}× the rate, ${ratio(cpu).toFixed(2)}× the CPU per webhook.

Latency at a fixed ${FIXED_RATE} webhooks/s (4 connections, ${LATENCY_SECONDS} s per run), and what each server adds over
the sink's own latency for the same request:

${markdownTable(['target', 'p50 ms', 'p99 ms', 'added p50 / p99 ms', 'CPU µs/webhook'], fixedRows)}
`;
  writeSection('gitlab', markdown);
  console.log(markdown);
}

// Dispatch last, once every module-level constant is initialised.
if (process.argv[2] === 'sink') serveSink();
else if (process.argv[2] === 'baseline') await serveBaseline(process.argv[3] as string);
else await runBenchmark();
