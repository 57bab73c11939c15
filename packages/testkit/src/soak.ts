import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { adapterEnv, startProcess, type AdapterProcess } from './process-harness.ts';
import { bundlePath, fixturePath } from './paths.ts';
import { startRecordingSink, type RecordingSink } from './recording-sink.ts';

/**
 * A soak run: the built GitHub and GitLab bundles under mixed valid and hostile webhook traffic
 * (signed deliveries, bad signatures, oversize and malformed bodies, slowloris connections) while
 * the sink fails, hangs and resets connections in turn. Valid deliveries answered 5xx are resent
 * with the same delivery id, as GitHub's and GitLab's redelivery does. At the end every delivery
 * the adapter acknowledged (2xx) must have reached the sink at least once.
 */
export interface SoakOptions {
  readonly durationMs: number;
  /** How often RSS, open fds and latency are sampled. */
  readonly sampleEveryMs: number;
  /** Concurrent senders per adapter. */
  readonly senders?: number;
  /** Slowloris connections kept open per adapter. */
  readonly slowloris?: number;
  readonly onSample?: (sample: SoakSample) => void;
}

export interface SoakSample {
  readonly adapter: string;
  readonly atSeconds: number;
  readonly rssMiB: number;
  readonly openFds: number;
  /** Valid deliveries answered 2xx since the last sample, and their latency. */
  readonly accepted: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface SoakAdapterResult {
  readonly adapter: string;
  readonly samples: readonly SoakSample[];
  /** Answers by kind of request and status: `valid 200`, `bad-signature 401`, `oversize 413`, ... */
  readonly answers: Readonly<Record<string, number>>;
  readonly acknowledged: number;
  /** Acknowledged deliveries the sink never received. Must be 0. */
  readonly lost: number;
  /** Delivery ids the sink received more than once (allowed: at least once). */
  readonly duplicated: number;
  /** Valid deliveries still unacknowledged after every resend (never acknowledged, so not lost). */
  readonly unresolved: number;
  /** Exit of the adapter process before the run ended (a crash), else undefined. */
  readonly crashed: string | undefined;
  /** Exit status after SIGTERM at the end. */
  readonly exitCode: number | null;
}

export interface SoakResult {
  readonly seconds: number;
  readonly adapters: readonly SoakAdapterResult[];
  readonly sinkFaults: Readonly<Record<string, number>>;
}

const SECRET = 'soak-secret';
const MAX_BODY_BYTES = 256 * 1024;
const RESENDS = 20;

interface Target {
  readonly name: 'github' | 'gitlab';
  readonly env: Record<string, string>;
  /** A valid delivery with this delivery id. */
  valid(id: string): Request;
  /** The same delivery with a wrong credential. */
  forged(id: string): Request;
  /** Authenticated but not JSON. */
  malformed(id: string): Request;
}

interface Request {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

function targets(): Target[] {
  const githubPush = readFileSync(fixturePath('github', 'push.json'));
  const gitlabPush = readFileSync(fixturePath('gitlab', 'push.json'));
  const githubSigned = (id: string, body: Buffer, secret = SECRET): Request => ({
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': id,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  });
  const gitlabSigned = (id: string, body: Buffer, token = SECRET): Request => ({
    headers: {
      'content-type': 'application/json',
      'x-gitlab-event': 'Push Hook',
      'x-gitlab-token': token,
      'idempotency-key': id,
    },
    body,
  });
  const notJson = Buffer.from('{"ref": "refs/heads/main", ');
  return [
    {
      name: 'github',
      env: {
        GITHUB_SECRET_TOKEN: SECRET,
        GITHUB_OWNER_REPO: 'Codertocat/Hello-World',
        GITHUB_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      },
      valid: (id) => githubSigned(id, githubPush),
      forged: (id) => githubSigned(id, githubPush, 'not-the-secret'),
      malformed: (id) => githubSigned(id, notJson),
    },
    {
      name: 'gitlab',
      env: {
        GITLAB_SECRET_TOKEN: SECRET,
        GITLAB_EVENT_SOURCE: 'https://gitlab.example.com/acme/app',
        GITLAB_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      },
      valid: (id) => gitlabSigned(id, gitlabPush),
      forged: (id) => gitlabSigned(id, gitlabPush, 'not-the-token'),
      malformed: (id) => gitlabSigned(id, notJson),
    },
  ];
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  // Delivery ids the sink accepted, and how often; the events themselves are not kept.
  const seen = new Map<string, number>();
  const sink = await startRecordingSink({
    retain: false,
    onEvent: (event) => {
      const id = String(event.attributes['id']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
    },
  });
  const started = Date.now();
  const deadline = started + options.durationMs;
  const sinkFaults: Record<string, number> = {};
  const faults = cycleSinkFaults(sink, deadline, sinkFaults);
  // Settle both before failing, so no adapter process outlives a failed run.
  const settled = await Promise.allSettled(
    targets().map((target) => soakOne(target, sink, seen, options, started, deadline)),
  );
  await faults;
  await sink.close();
  const failure = settled.find((outcome) => outcome.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  const results = settled.map((outcome) => (outcome as PromiseFulfilledResult<SoakAdapterResult>).value);
  return { seconds: Math.round((Date.now() - started) / 1000), adapters: results, sinkFaults };
}

async function soakOne(
  target: Target,
  sink: RecordingSink,
  seen: ReadonlyMap<string, number>,
  options: SoakOptions,
  started: number,
  deadline: number,
): Promise<SoakAdapterResult> {
  // A short sink timeout and few retries, so a hung sink becomes a 503 within seconds and the
  // sender's resend path is exercised, not only core's retries.
  const env = await adapterEnv(sink.url, {
    ...target.env,
    K_SINK_TIMEOUT: '2',
    K_SINK_RETRY: '2',
    LOG_LEVEL: 'warn',
  });
  const adapter = startProcess(bundlePath(target.name), env);
  const port = Number(env.PORT);
  try {
    // A loaded machine can take a while to start a bundle.
    await adapter.waitForReady(port, 120_000);
  } catch (error) {
    await adapter.stop(5_000);
    throw error;
  }
  let crashed: string | undefined;
  void adapter.exited.then((exit) => {
    if (Date.now() < deadline) crashed = `exited ${exit.code ?? exit.signal} during the run`;
  });

  const answers: Record<string, number> = {};
  const count = (key: string) => (answers[key] = (answers[key] ?? 0) + 1);
  const acknowledged = new Set<string>();
  const pending = new Map<string, number>();
  let latencies: number[] = [];
  const samples: SoakSample[] = [];

  const send = async (kind: string, request: Request): Promise<number> => {
    const begun = performance.now();
    let status = 0;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      // Reset or timed out (status stays 0): the sender resends a valid delivery.
    }
    count(`${kind} ${status === 0 ? 'reset' : status}`);
    if (kind === 'valid' && status >= 200 && status < 300) latencies.push(performance.now() - begun);
    return status;
  };

  const deliver = async (id: string) => {
    const status = await send('valid', target.valid(id));
    if (status >= 200 && status < 300) {
      acknowledged.add(id);
      pending.delete(id);
    } else {
      pending.set(id, (pending.get(id) ?? 0) + 1);
    }
  };

  const sender = async () => {
    for (let n = 0; Date.now() < deadline && crashed === undefined; n++) {
      const roll = Math.random();
      const id = randomUUID();
      const resend = [...pending.keys()].find((key) => (pending.get(key) ?? 0) < RESENDS);
      if (resend !== undefined && roll < 0.2) await deliver(resend);
      else if (roll < 0.65) await deliver(id);
      else if (roll < 0.8) await send('bad-signature', target.forged(id));
      else if (roll < 0.92) await send('malformed', target.malformed(id));
      else await send('oversize', { ...target.valid(id), body: Buffer.alloc(MAX_BODY_BYTES + 4096, 0x20) });
    }
  };

  const sampler = setInterval(() => {
    const sample = sampleProcess(target.name, adapter, started, latencies);
    latencies = [];
    samples.push(sample);
    options.onSample?.(sample);
  }, options.sampleEveryMs);

  const lorises = slowloris(port, options.slowloris ?? 8, deadline);
  await Promise.all(Array.from({ length: options.senders ?? 4 }, sender));
  clearInterval(sampler);
  await lorises;

  // After the run the sink is healthy again: resend what was never acknowledged, as senders do.
  for (let round = 0; round < RESENDS && pending.size > 0 && crashed === undefined; round++) {
    for (const id of [...pending.keys()]) await deliver(id);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  let lost = 0;
  let duplicated = 0;
  for (const id of acknowledged) {
    const times = seen.get(id) ?? 0;
    if (times === 0) lost++;
    if (times > 1) duplicated++;
  }
  const exit = crashed === undefined ? await adapter.stop(10_000) : await adapter.exited;
  return {
    adapter: target.name,
    samples,
    answers,
    acknowledged: acknowledged.size,
    lost,
    duplicated,
    unresolved: pending.size,
    crashed,
    exitCode: exit.code,
  };
}

/** Every few seconds one sink fault: 503s, a hang, connection resets, or nothing. */
async function cycleSinkFaults(
  sink: RecordingSink,
  deadline: number,
  tally: Record<string, number>,
): Promise<void> {
  const faults: [string, () => void][] = [
    ['5xx', () => sink.faults.failNext(10, 503)],
    ['hang', () => sink.faults.hang(true)],
    ['reset', () => sink.faults.resetNext(10)],
    ['none', () => {}],
  ];
  for (let n = 0; Date.now() < deadline; n++) {
    const [name, inject] = faults[n % faults.length] as [string, () => void];
    tally[name] = (tally[name] ?? 0) + 1;
    inject();
    await new Promise((resolve) => setTimeout(resolve, Math.min(3_000, Math.max(0, deadline - Date.now()))));
    sink.faults.hang(false);
    sink.faults.failNext(0, 503);
    sink.faults.resetNext(0);
    await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, Math.max(0, deadline - Date.now()))));
  }
}

/** Connections that send a request line and then one header byte at a time, never finishing. */
async function slowloris(port: number, connections: number, deadline: number): Promise<void> {
  const open = new Set<Socket>();
  const dial = () => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.once('close', () => {
      open.delete(socket);
      if (Date.now() < deadline) setTimeout(dial, 200);
    });
    socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\nX-Slow: ');
    open.add(socket);
  };
  for (let n = 0; n < connections; n++) dial();
  while (Date.now() < deadline) {
    for (const socket of open) socket.write('a');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  for (const socket of open) socket.destroy();
}

function sampleProcess(
  name: string,
  adapter: AdapterProcess,
  started: number,
  latencies: number[],
): SoakSample {
  const pid = adapter.child.pid;
  let rssMiB = Number.NaN;
  let openFds = Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    rssMiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
    openFds = readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    // The process is gone; the crash is reported separately.
  }
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length === 0
      ? Number.NaN
      : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number);
  return {
    adapter: name,
    atSeconds: Math.round((Date.now() - started) / 1000),
    rssMiB: Math.round(rssMiB * 10) / 10,
    openFds,
    accepted: sorted.length,
    p50Ms: Math.round(at(0.5) * 10) / 10,
    p99Ms: Math.round(at(0.99) * 10) / 10,
  };
}
