// GitHub adapter vs the obvious baseline (@octokit/webhooks createNodeMiddleware + the cloudevents SDK
// emitter), end to end: autocannon → server → loopback sink, signed push webhooks, 2xx only after the
// sink answered. `npm run bench -- github` (or `node bench/github.ts`); needs `npm run build`.
// `node bench/github.ts baseline <sinkUrl>` runs the baseline server alone (used by the benchmark).
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ROOT } from './lib/processes.ts';
import { machineLine, writeSection } from './lib/report.ts';
import {
  adapterOverBaseline,
  benchmarkWebhooks,
  cpuMicros,
  failureNote,
  latency,
  latencyTable,
  medianOf,
  perSecond,
  serveForBenchmark,
  throughputMarkdown,
} from './lib/webhook-load.ts';
import type { Phases, Results } from './lib/webhook-load.ts';

const SECRET = 'bench-secret';
const SOURCE = 'https://github.com/Codertocat/Hello-World';

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
  server.listen(0, '127.0.0.1', () => serveForBenchmark(server));
}

const PHASES: Phases = {
  rounds: 5,
  throughput: { connections: 16, seconds: 6 },
  // Sink, adapter and baseline loaded at the same time, so the scheduler noise of this shared machine falls on
  // all three alike.
  latency: { rate: 100, connections: 2, seconds: 8, together: true },
};

async function runBenchmark(): Promise<void> {
  const examples = JSON.parse(
    readFileSync(`${ROOT}node_modules/@octokit/webhooks-examples/api.github.com/index.json`, 'utf8'),
  ) as { name: string; examples: Payload[] }[];
  const push = JSON.stringify(examples.find((e) => e.name === 'push')?.examples[0]);
  const signature = `sha256=${createHmac('sha256', SECRET).update(push).digest('hex')}`;

  // The servers get the signed webhook with a fresh delivery id (the adapter dedups on it); the sink gets the
  // CloudEvent they would send it, with a fresh ce-id.
  const webhook = {
    body: push,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': signature,
      'user-agent': 'GitHub-Hookshot/bench',
    },
    uniqueHeader: 'x-github-delivery',
  };
  const cloudEvent = {
    body: push,
    headers: {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-type': 'dev.knative.source.github.push',
      'ce-source': SOURCE,
    },
    uniqueHeader: 'ce-id',
  };
  const loadAtStart = loadavg()[0] ?? 0;
  const results = await benchmarkWebhooks({
    adapter: 'github',
    adapterEnv: { GITHUB_SECRET_TOKEN: SECRET, GITHUB_OWNER_REPO: 'Codertocat/Hello-World' },
    baselineScript: fileURLToPath(import.meta.url),
    phases: PHASES,
    request: (name) => (name === 'sink' ? cloudEvent : webhook),
  });
  report(results, Buffer.byteLength(push), [loadAtStart, loadavg()[0] ?? 0]);
}

function report({ rate, fixed }: Results, bytes: number, load: readonly number[]): void {
  const label = {
    adapter: '**@tributary/github** (bundle)',
    baseline: 'createNodeMiddleware + cloudevents emitter',
    sink: 'sink alone (CloudEvent POST)',
  };
  const addedP99 = medianOf(fixed.adapter, latency(99)) - medianOf(fixed.sink, latency(99));
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
CPU is the server process's user+system time (/proc) per webhook. Medians of ${PHASES.rounds} alternating runs, after a 2 s
warm-up each.${failureNote(rate, fixed)}

${throughputMarkdown(rate, label, PHASES.throughput)}

Latency at a fixed ${PHASES.latency.rate} requests/s each (${PHASES.latency.connections} connections, ${PHASES.latency.seconds} s per run), the sink alone, the adapter and the
baseline loaded at the same time, and what each server adds over the sink's own latency for the same request:

${latencyTable(fixed, label, { cpu: false })}

Targets: rate ahead of the baseline ${verdict(adapterOverBaseline(rate, perSecond) > 1)}; CPU per webhook below it ${verdict(adapterOverBaseline(rate, cpuMicros) < 1)};
p99 added over the sink's own under 2 ms ${verdict(addedP99 < 2)} (${addedP99.toFixed(2)} ms).
`;
  writeSection('github', markdown);
  console.log(markdown);
}

// Dispatch last, once every module-level constant is initialised.
if (process.argv[2] === 'baseline') await serveBaseline(process.argv[3] as string);
else await runBenchmark();
