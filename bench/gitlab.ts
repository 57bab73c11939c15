// GitLab adapter vs the naive baseline (express + express.json() + the cloudevents SDK emitter), end to
// end: autocannon → server → loopback sink, token-checked push webhooks, 2xx only after the sink answered.
// `npm run bench -- gitlab` (or `node bench/gitlab.ts`); needs `npm run build`.
// `node bench/gitlab.ts baseline <sinkUrl>` runs the baseline server alone (used by the benchmark).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROOT } from './lib/processes.ts';
import { machineLine, writeSection } from './lib/report.ts';
import {
  benchmarkWebhooks,
  failureNote,
  latencyTable,
  serveForBenchmark,
  throughputMarkdown,
} from './lib/webhook-load.ts';
import type { Phases, Results } from './lib/webhook-load.ts';

const TOKEN = 'bench-gitlab-token';
const SOURCE = 'https://gitlab.example.com/mike/diaspora';

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
  const server = app.listen(0, '127.0.0.1', () => serveForBenchmark(server));
}

const PHASES: Phases = {
  rounds: 3,
  throughput: { connections: 16, seconds: 10 },
  latency: { rate: 200, connections: 4, seconds: 5, together: false },
};

async function runBenchmark(): Promise<void> {
  // GitLab's documented push example, byte for byte.
  const push = readFileSync(`${ROOT}packages/gitlab/test/fixtures/push.json`, 'utf8');
  const headers = {
    'content-type': 'application/json',
    'x-gitlab-event': 'Push Hook',
    'x-gitlab-token': TOKEN,
    'user-agent': 'GitLab/18.2.0',
  };
  const ceHeaders = {
    'ce-specversion': '1.0',
    'ce-type': 'dev.knative.sources.gitlab.push',
    'ce-source': SOURCE,
  };
  const results = await benchmarkWebhooks({
    adapter: 'gitlab',
    adapterEnv: { LOG_LEVEL: 'warn', GITLAB_SECRET_TOKEN: TOKEN, GITLAB_EVENT_SOURCE: SOURCE },
    baselineScript: fileURLToPath(import.meta.url),
    phases: PHASES,
    // A fresh Idempotency-Key per request, as GitLab 17.4+ sends: no request is a redelivery.
    request: (name) => ({
      body: push,
      headers: name === 'sink' ? { ...headers, ...ceHeaders } : headers,
      uniqueHeader: 'idempotency-key',
    }),
  });
  report(results, Buffer.byteLength(push));
}

function report({ rate, fixed }: Results, bytes: number): void {
  const label = {
    adapter: '**@tributary/gitlab** (bundle)',
    baseline: 'express + express.json() + cloudevents emitter',
    sink: 'sink alone (CloudEvent POST)',
  };
  const markdown = `## GitLab: token-checked push webhooks end to end

Command: \`npm run bench -- gitlab\` (\`node bench/gitlab.ts\`). Machine: ${machineLine()}.

autocannon → server → loopback sink (answers 202), each in its own process on 127.0.0.1. Every request is
GitLab's documented push example (${bytes} bytes, \`X-Gitlab-Event: Push Hook\`) with the right \`X-Gitlab-Token\`
and a fresh \`Idempotency-Key\`; a webhook counts only when the server answered 2xx, which both servers do only
after the sink answered. Baseline: express with \`express.json()\` and a handler that checks the token with \`!==\`,
builds a \`CloudEvent\` (same type, source, subject, \`comgitlabevent\`) and sends it with
\`emitterFor(httpTransport(sink))\` from \`cloudevents\`. The adapter forwards the raw body; the baseline
re-serializes the parsed one. CPU is the server process's user+system time (/proc) per webhook. Medians of
${PHASES.rounds} alternating runs, after a 2 s warm-up each.${failureNote(rate, fixed)}

${throughputMarkdown(rate, label, PHASES.throughput)}

Latency at a fixed ${PHASES.latency.rate} webhooks/s (${PHASES.latency.connections} connections, ${PHASES.latency.seconds} s per run), and what each server adds over
the sink's own latency for the same request:

${latencyTable(fixed, label, { cpu: true })}
`;
  writeSection('gitlab', markdown);
  console.log(markdown);
}

// Dispatch last, once every module-level constant is initialised.
if (process.argv[2] === 'baseline') await serveBaseline(process.argv[3] as string);
else await runBenchmark();
