import { createHmac } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterEnv, bundlePath, startProcess, startRecordingSink, waitFor, type RecordingSink } from '@tributary/testkit';

// Shutdown finishes whatever clients do: a client dripping header bytes and one that sent half a
// body and went silent do not hold the process past SHUTDOWN_GRACE_PERIOD (+ 1 s to destroy what is
// left and flush), while a delivery in flight to a slow sink still completes and is answered 200.
const SECRET = 'shutdown-secret';
const GRACE_MS = 3_000;
const SINK_DELAY_MS = 1_500;

const sockets: Socket[] = [];
let sink: RecordingSink | undefined;
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await sink?.close();
});

function openSocket(port: number): { socket: Socket; received: () => string; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => received, closed };
}

describe('github: SIGTERM with slow clients holding connections', () => {
  it('exits within the grace period plus 1 s, after the in-flight delivery completed; half-received requests get no 2xx', async () => {
    sink = await startRecordingSink();
    sink.faults.delay(SINK_DELAY_MS);
    const env = await adapterEnv(sink.url, {
      GITHUB_SECRET_TOKEN: SECRET,
      GITHUB_OWNER_REPO: 'octo/hello',
      SHUTDOWN_GRACE_PERIOD: `${GRACE_MS / 1000}s`,
    });
    const port = Number(env.PORT);
    const proc = startProcess(bundlePath('github'), env);
    await proc.waitForReady(port);

    // Slowloris: one header byte every 100 ms, never finishing the head.
    const dripping = openSocket(port);
    dripping.socket.write('POST / HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => dripping.socket.writable && dripping.socket.write('X'), 100);
    // Half a body, then silence.
    const halfBody = openSocket(port);
    halfBody.socket.write(
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: ping\r\n' +
        `X-GitHub-Delivery: half-1\r\nX-Hub-Signature-256: sha256=${'0'.repeat(64)}\r\nContent-Length: 1000\r\n\r\n{"zen":`,
    );

    // A valid delivery, in flight at the slow sink when SIGTERM arrives.
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const delivery = fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': 'in-flight-1',
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    await waitFor(() => sink!.requestCount >= 1, { timeoutMs: 10_000, what: 'the delivery at the sink' });

    const signalled = Date.now();
    proc.signal('SIGTERM');
    const exit = await proc.exited;
    const elapsed = Date.now() - signalled;
    clearInterval(drip);

    expect((await delivery).status).toBe(200);
    expect(sink.events.map((event) => event.attributes['id'])).toEqual(['in-flight-1']);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(elapsed).toBeLessThanOrEqual(GRACE_MS + 1_000);
    await Promise.all([dripping.closed, halfBody.closed]);
    expect(halfBody.received()).not.toMatch(/^HTTP\/1\.1 2/);
    expect(dripping.received()).not.toMatch(/^HTTP\/1\.1 2/);
  });
});
