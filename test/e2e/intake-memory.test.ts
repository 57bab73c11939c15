import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterEnv, bundlePath, startProcess, startRecordingSink, type AdapterProcess, type RecordingSink } from '@tributary/testkit';

// No memory for strangers: ten concurrent 20 MiB uploads cost the adapter at most twice its body
// limit over its idle RSS. Without a credential header they are refused from the head alone; with a
// (wrong) signature header their bodies are read, but only as many at once as MAX_BUFFERED_BYTES
// allows, the rest answered 503 with Retry-After. A bound on memory, not on time.
const MIB = 1024 * 1024;
const BODY_LIMIT = 25 * MIB;
const UPLOAD = 20 * MIB;
const CHUNK = Buffer.alloc(MIB, 0x20);

/** VmRSS / VmHWM (peak RSS) of a process, in bytes, from /proc/<pid>/status. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

interface Outcome {
  readonly status: number | undefined;
  readonly retryAfter: string | undefined;
  readonly sent: number;
}

/** Streams `UPLOAD` bytes as one POST; stops sending as soon as an answer (or a reset) comes. */
function upload(port: number, headers: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/json', 'content-length': String(UPLOAD), ...headers },
    });
    const done = (outcome: Outcome) => {
      if (answered) return;
      answered = true;
      req.destroy();
      resolve(outcome);
    };
    req.on('response', (response) => {
      response.resume();
      const retryAfter = response.headers['retry-after'];
      done({ status: response.statusCode, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined, sent });
    });
    req.on('error', () => done({ status: undefined, retryAfter: undefined, sent }));
    const pump = () => {
      while (!answered && sent < UPLOAD) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('github: ten concurrent 20 MiB uploads from strangers', () => {
  let sink: RecordingSink;
  let proc: AdapterProcess;
  let port: number;
  let idle: number;
  beforeAll(async () => {
    sink = await startRecordingSink();
    const env = await adapterEnv(sink.url, {
      GITHUB_SECRET_TOKEN: 'memory-secret',
      GITHUB_OWNER_REPO: 'octo/hello',
      GITHUB_MAX_BODY_BYTES: String(BODY_LIMIT),
      MAX_BUFFERED_BYTES: String(BODY_LIMIT),
    });
    port = Number(env.PORT);
    proc = startProcess(bundlePath('github'), env);
    await proc.waitForReady(port);
    idle = memoryOf(proc.child.pid as number).rss;
  });
  afterAll(async () => {
    await proc.stop(5_000);
    await sink.close();
  });

  const github = (delivery: string) => ({ 'x-github-event': 'push', 'x-github-delivery': delivery });

  it('refuses uploads without a signature header from their head: 401, long before 20 MiB went out', async () => {
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => upload(port, github(`stranger-${i}`))));
    for (const outcome of outcomes) {
      expect(outcome.status).toBe(401);
      expect(outcome.sent).toBeLessThan(UPLOAD);
    }
    expect(memoryOf(proc.child.pid as number).peak).toBeLessThanOrEqual(idle + 2 * BODY_LIMIT);
  });

  it('reads bodies with a (wrong) signature header only up to MAX_BUFFERED_BYTES, the rest 503 with Retry-After', async () => {
    const signed = (i: number) => ({ ...github(`forged-${i}`), 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` });
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => upload(port, signed(i))));
    const statuses = outcomes.map((outcome) => outcome.status);
    // Each is refused: 401 once its body was read and the signature checked, 503 when it did not fit.
    expect(statuses.every((status) => status === 401 || status === 503)).toBe(true);
    expect(statuses).toContain(503);
    for (const outcome of outcomes.filter((o) => o.status === 503)) expect(outcome.retryAfter).toBe('1');
    expect(memoryOf(proc.child.pid as number).peak).toBeLessThanOrEqual(idle + 2 * BODY_LIMIT);
    expect(sink.events).toHaveLength(0);
  });
});
