// EventBridge/OSS adapter throughput, end to end over loopback: autocannon pushes Alibaba-shaped
// OSS events into the adapter bundle, which forwards each one to a sink process. Side by side in
// the same run: the same traffic straight to the sink (the loopback ceiling) and a naive
// express + `cloudevents` SDK relay. Run: `npm run build && node bench/eventbridge.ts`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { machineLine, markdownTable, median, writeSection } from './lib/report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = `${ROOT}packages/eventbridge/dist/main.js`;
const TOKEN = 'bench-token';
const ROUNDS = 3;
const SECONDS = 5;
const WARMUP_SECONDS = 2;
const BATCH = 100;

if (!existsSync(BUNDLE)) {
  console.error(`${BUNDLE} is missing: run \`npm run build\` first`);
  process.exit(1);
}

/** A sink that reads each request and answers 202, as a Knative broker does. */
const SINK = `
import { createServer } from 'node:http';
const server = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(202).end()); });
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
`;

/** The relay one would write in an afternoon: express, the cloudevents SDK, its HTTP transport. */
const NAIVE_RELAY = `
import express from 'express';
import { HTTP, emitterFor, httpTransport } from 'cloudevents';
const emit = emitterFor(httpTransport(process.env.K_SINK));
const app = express();
app.use(express.raw({ type: () => true, limit: '8mb' }));
app.use(async (req, res) => {
  try {
    const received = HTTP.toEvent({ headers: req.headers, body: req.body.toString('utf8') });
    await Promise.all((Array.isArray(received) ? received : [received]).map((event) => emit(event)));
    res.status(200).end();
  } catch (error) {
    res.status(400).end(String(error));
  }
});
const server = app.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
`;

interface Started {
  readonly child: ChildProcess;
  readonly port: number;
}

function startScript(source: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`helper exited with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const match = /^PORT (\d+)$/.exec(line);
      if (match) resolve({ child, port: Number(match[1]) });
    });
  });
}

async function startAdapter(sinkPort: number): Promise<Started> {
  const port = 18_000 + Math.floor(Math.random() * 2_000);
  const child = spawn(process.execPath, [BUNDLE], {
    env: {
      PATH: process.env['PATH'] ?? '',
      K_SINK: `http://127.0.0.1:${sinkPort}/`,
      PORT: String(port),
      METRICS_PORT: String(port + 1),
      LOG_LEVEL: 'warn',
      EVENTBRIDGE_TOKEN: TOKEN,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return { child, port };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill();
  throw new Error('the adapter did not become ready');
}

// autocannon replaces [<id>] with a fresh id per request, so no push is a redelivery.
const oss = JSON.parse(
  readFileSync(`${ROOT}packages/eventbridge/test/fixtures/oss-putobject.cloudevent.json`, 'utf8'),
);
const single = JSON.stringify({ ...oss, id: '[<id>]' });
const batch = JSON.stringify(Array.from({ length: BATCH }, (_, i) => ({ ...oss, id: `[<id>]-${i}` })));

interface Traffic {
  readonly name: string;
  readonly body: string;
  readonly contentType: string;
  readonly eventsPerRequest: number;
  readonly connections: number;
}

const TRAFFIC: readonly Traffic[] = [
  {
    name: 'single event',
    body: single,
    contentType: 'application/cloudevents+json',
    eventsPerRequest: 1,
    connections: 32,
  },
  {
    name: `batch of ${BATCH}`,
    body: batch,
    contentType: 'application/cloudevents-batch+json',
    eventsPerRequest: BATCH,
    connections: 8,
  },
];

interface Figures {
  readonly eventsPerSecond: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

async function measure(port: number, traffic: Traffic, seconds: number): Promise<Figures> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/`,
    method: 'POST',
    headers: { 'content-type': traffic.contentType, 'x-eventbridge-signature-token': TOKEN },
    body: traffic.body,
    idReplacement: true,
    connections: traffic.connections,
    duration: seconds,
  });
  const ok = result['2xx'];
  return {
    eventsPerSecond: (ok * traffic.eventsPerRequest) / result.duration,
    requestsPerSecond: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

const sink = await startScript(SINK);
const adapter = await startAdapter(sink.port);
const relay = await startScript(NAIVE_RELAY, { K_SINK: `http://127.0.0.1:${sink.port}/` });
const targets = [
  { name: 'Tributary eventbridge adapter', port: adapter.port },
  { name: 'naive express + cloudevents SDK relay', port: relay.port },
  { name: 'straight to the sink (ceiling)', port: sink.port },
];

const loadBefore = loadavg()[0] ?? 0;
const runs = new Map<string, Figures[]>();
try {
  for (const traffic of TRAFFIC)
    for (const target of targets) await measure(target.port, traffic, WARMUP_SECONDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const traffic of TRAFFIC) {
      // Alternate the order each round so no target always runs on a warmer or cooler machine.
      const order = targets.map((_, i) => targets[(i + round) % targets.length] as (typeof targets)[number]);
      for (const target of order) {
        const figures = await measure(target.port, traffic, SECONDS);
        const key = `${traffic.name}|${target.name}`;
        runs.set(key, [...(runs.get(key) ?? []), figures]);
        console.log(
          `${traffic.name} → ${target.name}: ${figures.eventsPerSecond.toFixed(0)} events/s, p99 ${figures.p99} ms`,
        );
      }
    }
  }
} finally {
  for (const started of [adapter, relay, sink]) started.child.kill('SIGTERM');
}

const loadAfter = loadavg()[0] ?? 0;
const rows = TRAFFIC.flatMap((traffic) =>
  targets.map((target) => {
    const figures = runs.get(`${traffic.name}|${target.name}`) ?? [];
    const failed = figures.reduce((sum, f) => sum + f.failed, 0);
    return [
      traffic.name,
      target.name,
      median(figures.map((f) => f.eventsPerSecond)).toFixed(0),
      median(figures.map((f) => f.requestsPerSecond)).toFixed(0),
      median(figures.map((f) => f.p50)).toFixed(1),
      median(figures.map((f) => f.p99)).toFixed(1),
      String(failed),
    ];
  }),
);

writeSection(
  'eventbridge',
  `## eventbridge — EventBridge/OSS push endpoint, end to end

\`npm run build && node bench/eventbridge.ts\` — ${machineLine()}

autocannon POSTs the OSS PutObject CloudEvent of seed 003 (a fresh id per request) over loopback, either one
event per request (${TRAFFIC[0]?.connections} connections, \`application/cloudevents+json\`) or ${BATCH} per request
(${TRAFFIC[1]?.connections} connections, \`application/cloudevents-batch+json\`). The adapter authenticates, validates,
normalizes and answers only after the sink process accepted every event (binary mode, one delivery per
event, at most 64 in flight). Baselines in the same run: a naive express + \`cloudevents\` SDK relay doing
the same forwarding, and the same requests straight to the sink (the loopback ceiling; there a batch is a
single request). ${ROUNDS} alternating rounds of ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up each; medians. Latency is per
request. All processes share the machine's cores with autocannon; the 1-minute load average was
${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after the run, so compare rows of the same run only.

${markdownTable(['traffic', 'path', 'events/s', 'requests/s', 'p50 ms', 'p99 ms', 'non-2xx'], rows)}`,
);
console.log('BENCHMARKS.md updated (section eventbridge)');
