// SQS adapter throughput: messages/s drained from a 20,000-message fauxqs queue into a loopback sink,
// side by side with (a) a naive loop (receive one, send with the `cloudevents` SDK emitter, delete one)
// and (b) the SDK ceiling (receive 10 + DeleteMessageBatch, no sink at all). Each contender runs as its
// own process against a freshly filled queue; the order rotates every round; figures are medians.
//
//   node bench/sqs.ts                 (after `npm run build`)
//
// The same file is also each contender's and the sink's entry point (`node bench/sqs.ts naive|ceiling|sink`).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { CloudEvent, emitterFor, httpTransport, Mode } from 'cloudevents';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { machineLine, markdownTable, median, writeSection } from './lib/report.ts';

const MESSAGES = 20_000;
const ROUNDS = Number(process.env['SQS_BENCH_ROUNDS'] ?? 3);
/** Parallel long polls, for the adapter (SQS_RECEIVERS) and the ceiling alike. */
const RECEIVERS = Number(process.env['SQS_BENCH_RECEIVERS'] ?? 4);
const MAX_INFLIGHT = Number(process.env['SQS_BENCH_MAX_INFLIGHT'] ?? 64);
/** The naive loop would need minutes for 20,000 messages: its rate is taken over this window. */
const NAIVE_WINDOW_MS = 8_000;
const RUN_LIMIT_MS = 30_000;
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const SELF = fileURLToPath(import.meta.url);
const BUNDLE = fileURLToPath(new URL('../packages/sqs/dist/main.js', import.meta.url));

type Contender = 'adapter' | 'naive' | 'ceiling';
interface RunResult {
  readonly rate: number;
  readonly cpuPerThousand: number;
}
/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS = 100;

const role = process.argv[2];
if (role === 'naive') await naiveLoop();
else if (role === 'ceiling') await ceilingLoops();
else if (role === 'sink') await countingSink();
else await main();

async function main(): Promise<void> {
  if (!existsSync(BUNDLE)) {
    console.error(`${BUNDLE} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const sink = startChild([SELF, 'sink'], {}, true);
  const sinkUrl = (await lineFrom(sink)).trim();
  const results: Record<Contender, RunResult[]> = { adapter: [], naive: [], ceiling: [] };
  const orders: Contender[][] = [
    ['adapter', 'naive', 'ceiling'],
    ['naive', 'ceiling', 'adapter'],
    ['ceiling', 'adapter', 'naive'],
  ];
  const started = Date.now();
  for (let round = 0; round < ROUNDS; round++) {
    for (const contender of orders[round % orders.length] as Contender[]) {
      const result = await runOnce(fauxqs, contender, sinkUrl, `bench-${round}-${contender}`);
      results[contender].push(result);
      console.log(
        `round ${round + 1} ${contender.padEnd(7)} ${result.rate.toFixed(0)} messages/s, ${result.cpuPerThousand.toFixed(0)} ms CPU per 1,000`,
      );
    }
  }
  sink.kill('SIGTERM');
  await fauxqs.stop();

  const rates = (contender: Contender) => results[contender].map((result) => result.rate);
  const adapter = median(rates('adapter'));
  const naive = median(rates('naive'));
  const ceiling = median(rates('ceiling'));
  const cpu = (contender: Contender) => median(results[contender].map((result) => result.cpuPerThousand));
  const row = (name: string, contender: Contender, note: string) => [
    name,
    median(rates(contender)).toFixed(0),
    rates(contender)
      .map((rate) => rate.toFixed(0))
      .join(', '),
    cpu(contender).toFixed(0),
    note,
  ];
  const markdown = `## SQS: draining a queue

${machineLine()}; \`node bench/sqs.ts\`; ${ROUNDS} rounds, contender order rotated each round, ${((Date.now() - started) / 1000).toFixed(0)} s in all.

Each run fills a fresh fauxqs queue (in the benchmark process) with ${MESSAGES.toLocaleString('en')} messages (a small JSON
body and two string attributes), starts the contender as its own process, and measures from the moment it is ready
until the queue is empty (every message deleted). The sink is a loopback HTTP server in a third process answering
202. CPU is the contender process's own (all threads), from \`/proc\`, per 1,000 messages drained.

${markdownTable(
  ['contender', 'messages/s (median)', 'runs', 'CPU ms / 1,000 msgs', 'what it does'],
  [
    row(
      '**@tributary/sqs** (bundle)',
      'adapter',
      `defaults: \`SQS_RECEIVERS=${RECEIVERS}\`, \`SQS_MAX_INFLIGHT=${MAX_INFLIGHT}\`, SDK on its I/O thread; every message a CloudEvent POSTed to the sink, deleted in batches after the 2xx`,
    ),
    row(
      'naive loop',
      'naive',
      `receive 1, \`emitterFor(httpTransport(sink))\` from \`cloudevents\`, DeleteMessage; one loop; rate over the first ${NAIVE_WINDOW_MS / 1000} s`,
    ),
    row(
      'SDK ceiling',
      'ceiling',
      `${RECEIVERS} loops of ReceiveMessage (10) + DeleteMessageBatch, no sink at all; client trimmed as the adapter's is`,
    ),
  ],
)}

Adapter / naive loop: **${(adapter / naive).toFixed(1)}×**. Adapter / SDK ceiling: **${((adapter / ceiling) * 100).toFixed(0)} %** (medians; within each round:
${sameRound(results)}).

The machine is shared, so wall-clock rates move with its load; CPU per message does not. The adapter spends
${(cpu('adapter') / cpu('ceiling')).toFixed(1)}× the ceiling's CPU per message: the same receive and delete, plus one HTTP POST per event; the
SDK's share runs on the adapter's I/O thread, beside the deliveries. The naive loop spends ${(cpu('naive') / cpu('adapter')).toFixed(1)}× the
adapter's CPU per message and waits on three round trips for each.
`;
  console.log(`\n${markdown}`);
  writeSection('sqs', markdown);
}

/** Adapter / naive and adapter / ceiling in each round, where all three ran under the same load. */
function sameRound(results: Record<Contender, RunResult[]>): string {
  return results.adapter
    .map((run, round) => {
      const naive = results.naive[round]?.rate ?? Number.NaN;
      const ceiling = results.ceiling[round]?.rate ?? Number.NaN;
      return `round ${round + 1}: ${(run.rate / naive).toFixed(1)}× and ${((run.rate / ceiling) * 100).toFixed(0)} %`;
    })
    .join('; ');
}

/** One contender against a freshly filled queue. */
async function runOnce(
  fauxqs: FauxqsServer,
  contender: Contender,
  sinkUrl: string,
  name: string,
): Promise<RunResult> {
  const { queueUrl } = fauxqs.createQueue(name);
  for (let i = 0; i < MESSAGES; i++) {
    fauxqs.sendMessage(name, JSON.stringify({ order: i, customer: `c-${i % 97}`, amount: (i * 7) % 1000 }), {
      messageAttributes: {
        TraceId: { DataType: 'String', StringValue: `trace-${i}` },
        Kind: { DataType: 'String', StringValue: 'order.created' },
      },
    });
  }
  const env = {
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: fauxqs.address,
    QUEUE_URL: queueUrl,
    SINK_URL: sinkUrl,
  };
  let child: ChildProcess;
  if (contender === 'adapter') {
    const port = await freePort();
    child = startChild(
      [BUNDLE],
      {
        ...env,
        K_SINK: sinkUrl,
        SQS_QUEUE_URL: queueUrl,
        SQS_WAIT_TIME_SECONDS: '1',
        SQS_RECEIVERS: String(RECEIVERS),
        SQS_MAX_INFLIGHT: String(MAX_INFLIGHT),
        K_SINK_CONCURRENCY: String(MAX_INFLIGHT),
        PORT: String(port),
        METRICS_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
      },
      false,
    );
    await untilReady(port);
  } else {
    child = startChild([SELF, contender], { ...env, RECEIVERS: String(RECEIVERS) }, true);
    await lineFrom(child);
  }
  const t0 = performance.now();
  const cpu0 = cpuMs(child);
  const limit = contender === 'naive' ? NAIVE_WINDOW_MS : RUN_LIMIT_MS;
  let left = remaining(fauxqs, name);
  while (left > 0 && performance.now() - t0 < limit) {
    await sleep(20);
    left = remaining(fauxqs, name);
  }
  const seconds = (performance.now() - t0) / 1000;
  const drained = MESSAGES - left;
  const cpu = cpuMs(child) - cpu0;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  fauxqs.deleteQueue(name);
  return { rate: drained / seconds, cpuPerThousand: (cpu * 1000) / drained };
}

/** CPU time (user + system, all threads) a child process has used so far, from /proc. */
function cpuMs(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS);
}

/** Messages not yet deleted: ready, delayed or in flight. */
function remaining(fauxqs: FauxqsServer, name: string): number {
  const state = fauxqs.inspectQueue(name);
  return state === undefined
    ? 0
    : state.messages.ready.length + state.messages.delayed.length + state.messages.inflight.length;
}

/** `trimmed`: configured as the adapter configures its client (no SDK logger middleware). */
function contenderClient(trimmed: boolean): { sqs: SQSClient; queueUrl: string } {
  const sqs = new SQSClient({ endpoint: process.env['AWS_ENDPOINT_URL'], region: REGION });
  if (trimmed) sqs.middlewareStack.remove('loggerMiddleware');
  return { sqs, queueUrl: process.env['QUEUE_URL'] ?? '' };
}

async function announceReady(sqs: SQSClient, queueUrl: string): Promise<void> {
  await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  process.stdout.write('ready\n');
}

/** (a) What a first attempt looks like: one message at a time, through the cloudevents SDK. */
async function naiveLoop(): Promise<void> {
  const { sqs, queueUrl } = contenderClient(false);
  const emit = emitterFor(httpTransport(process.env['SINK_URL'] ?? ''), { mode: Mode.BINARY });
  await announceReady(sqs, queueUrl);
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }),
    );
    for (const message of Messages) {
      await emit(
        new CloudEvent({
          id: message.MessageId,
          type: 'com.amazon.sqs.message',
          source: 'arn:aws:sqs:us-east-1:000000000000:bench',
          data: message.Body,
        }),
      );
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

/** (b) The most the SDK and the queue allow: batches in, batches out, nothing delivered. */
async function ceilingLoops(): Promise<void> {
  const { sqs, queueUrl } = contenderClient(true);
  await announceReady(sqs, queueUrl);
  const loop = async () => {
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      if (Messages.length === 0) continue;
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: Number(process.env['RECEIVERS'] ?? 1) }, loop));
}

/** The loopback sink: answers 202 to every request once its body is read. */
async function countingSink(): Promise<void> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(202).end());
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/\n`);
  process.on('SIGTERM', () => process.exit(0));
}

/** `announces`: the child prints one line (its URL, or `ready`) that the caller reads with `lineFrom`. */
function startChild(args: string[], env: Record<string, string>, announces: boolean): ChildProcess {
  return spawn(process.execPath, args, {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', announces ? 'pipe' : 'ignore', 'inherit'],
  });
}

function lineFrom(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const newline = text.indexOf('\n');
      if (newline === -1) return;
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve(text.slice(0, newline));
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`contender exited with ${code} before it was ready`)));
  });
}

async function untilReady(port: number): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
