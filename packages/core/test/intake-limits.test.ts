import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BufferBudget,
  cgroupMemoryLimit,
  createLogger,
  createMetrics,
  defaultIntakeLimits,
  HttpError,
  mountWebhook,
  NO_TRACING,
  type AdapterContext,
  type CloudEvent,
  type WebhookIntake,
} from '../src/index.ts';
import { boundPort, closeServerWithin, createHttpApp, listen } from '../src/http/server.ts';

const MIB = 1024 * 1024;
const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => closeServerWithin(server, 0)));
});

interface Served {
  readonly port: number;
  readonly server: Server;
  readonly emitted: CloudEvent[];
  readonly shutdown: AbortController;
  readonly budget: BufferBudget;
}

/** A webhook intake behind core's server, as runAdapter mounts one; the token is checked from the headers. */
async function serve(options: { budget?: number; maxConnections?: number; maxBodyBytes?: number } = {}): Promise<Served> {
  const app = createHttpApp({ notReadyReasons: () => [] });
  const emitted: CloudEvent[] = [];
  const shutdown = new AbortController();
  const budget = new BufferBudget(options.budget ?? 64 * MIB);
  const ctx = {
    http: app,
    metrics: createMetrics({ adapter: 'limits' }, false),
    logger: createLogger('error', {}),
    tracing: NO_TRACING,
    signal: shutdown.signal,
    bufferBudget: budget,
    emit: (event: CloudEvent) => {
      emitted.push(event);
      return Promise.resolve();
    },
  } as unknown as AdapterContext<unknown>;
  const intake: WebhookIntake = {
    maxBodyBytes: options.maxBodyBytes ?? 32 * MIB,
    checkHeaders: ({ headers }) => {
      if (headers['x-token'] !== 'secret') throw new HttpError(401, 'TOKEN_INVALID', 'wrong token');
    },
    receive: (request) => ({ kind: 'forward', events: [{ id: `${request.body.length}`, source: 'urn:test', type: 'dev.test' }] }),
  };
  mountWebhook(ctx, intake);
  const server = await listen(app, 0, options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections });
  servers.push(server);
  return { port: boundPort(server), server, emitted, shutdown, budget };
}

/** A raw client: writes `head` (and `body`), collects whatever comes back until the connection ends. */
function rawRequest(port: number, head: string, body: Buffer = Buffer.alloc(0)) {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  let reset = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => (reset = true));
  const ended = new Promise<{ text: string; reset: boolean }>((resolve) => socket.on('close', () => resolve({ text: received, reset })));
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  void connected.then(() => socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body])));
  return { socket, ended, connected, received: () => received };
}

const post = (length: number, token = 'secret') =>
  `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Token: ${token}\r\nContent-Length: ${length}\r\n\r\n`;

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('refusing before the body is read', () => {
  it('answers 401 to a 20 MiB upload with a wrong token after its head alone, and ends the connection', async () => {
    const { port, budget } = await serve();
    // Only the head and 1 KiB of the declared 20 MiB are ever sent: the answer cannot wait for the body.
    const client = rawRequest(port, post(20 * MIB, 'wrong'), Buffer.alloc(1024, 0x61));
    const { text } = await client.ended;
    expect(text).toMatch(/^HTTP\/1\.1 401 /);
    expect(text).toContain('TOKEN_INVALID');
    expect(budget.used).toBe(0);
  });
});

describe('MAX_BUFFERED_BYTES', () => {
  it('answers 503 with Retry-After to a request that would pass the budget while another holds it, and accepts again once it is free', async () => {
    const { port, budget, emitted } = await serve({ budget: 1000, maxBodyBytes: 1000 });
    const first = rawRequest(port, post(800), Buffer.alloc(100, 0x20));
    await until(() => budget.used === 800);

    const second = await rawRequest(port, post(800), Buffer.alloc(800, 0x20)).ended;
    expect(second.text).toMatch(/^HTTP\/1\.1 503 /);
    expect(second.text.toLowerCase()).toContain('retry-after: 1');
    expect(second.text).toContain('"BUSY"');

    first.socket.write(Buffer.alloc(700, 0x20));
    await until(() => first.received().includes('\r\n\r\n'));
    expect(first.received()).toMatch(/^HTTP\/1\.1 200 /);
    await until(() => budget.used === 0);
    const third = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-token': 'secret' },
      body: ' '.repeat(900),
    });
    expect(third.status).toBe(200);
    expect(emitted.map((event) => event.id)).toEqual(['800', '900']);
  });

  it('counts a chunked body as it arrives', async () => {
    const { port } = await serve({ budget: 1000, maxBodyBytes: 4000 });
    const head = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Token: secret\r\nTransfer-Encoding: chunked\r\n\r\n';
    const chunk = `${(1500).toString(16)}\r\n${' '.repeat(1500)}\r\n0\r\n\r\n`;
    const { text } = await rawRequest(port, head + chunk).ended;
    expect(text).toMatch(/^HTTP\/1\.1 503 /);
  });
});

describe('MAX_CONNECTIONS', () => {
  it('answers one connection past the cap 503 with Retry-After, even before it sends anything', async () => {
    const { port } = await serve({ maxConnections: 2 });
    const held = [rawRequest(port, 'POST / HTTP/1.1\r\n'), rawRequest(port, 'POST / HTTP/1.1\r\n')];
    await Promise.all(held.map((client) => client.connected));
    const { text } = await rawRequest(port, '').ended;
    expect(text).toMatch(/^HTTP\/1\.1 503 /);
    expect(text.toLowerCase()).toContain('retry-after: 1');
  });
});

describe('shutdown', () => {
  it('answers 503 to a request still sending its body when shutdown begins, never a 2xx', async () => {
    const { port, shutdown, budget, emitted } = await serve();
    const client = rawRequest(port, post(1000), Buffer.alloc(10, 0x20));
    await until(() => budget.used === 1000);
    shutdown.abort();
    const { text } = await client.ended;
    expect(text).toMatch(/^HTTP\/1\.1 503 /);
    expect(text).toContain('SHUTTING_DOWN');
    expect(emitted).toHaveLength(0);
  });

  it('closes the server by the deadline although clients hold half a head and half a body', async () => {
    const { port, server } = await serve();
    const dripping = rawRequest(port, 'POST / HTTP/1.1\r\nHost: x\r\nX-Drip: 1');
    const halfBody = rawRequest(port, post(1000), Buffer.alloc(10, 0x20));
    await Promise.all([dripping.connected, halfBody.connected]);
    await until(() => halfBody.socket.bytesWritten > 0);
    await closeServerWithin(server, 200);
    servers.splice(servers.indexOf(server), 1);
    const [drip, half] = await Promise.all([dripping.ended, halfBody.ended]);
    expect(drip.text).toBe('');
    expect(half.text).not.toMatch(/^HTTP\/1\.1 2/);
  });
});

describe('defaults from the memory limit', () => {
  it('reads cgroup v2 memory.max, v1 limit_in_bytes, and treats "max" and v1 unlimited as none', () => {
    const files = (entries: Record<string, string>) => (path: string) => {
      const text = entries[path];
      if (text === undefined) throw new Error('ENOENT');
      return text;
    };
    expect(cgroupMemoryLimit(files({ '/sys/fs/cgroup/memory.max': '134217728\n' }))).toBe(128 * MIB);
    expect(cgroupMemoryLimit(files({ '/sys/fs/cgroup/memory.max': 'max\n' }))).toBeUndefined();
    expect(cgroupMemoryLimit(files({ '/sys/fs/cgroup/memory/memory.limit_in_bytes': '268435456' }))).toBe(256 * MIB);
    expect(cgroupMemoryLimit(files({ '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712' }))).toBeUndefined();
    expect(cgroupMemoryLimit(files({}))).toBeUndefined();
  });

  it('gives a quarter of the limit to request bodies and one connection per 128 KiB', () => {
    expect(defaultIntakeLimits(128 * MIB)).toEqual({ maxBufferedBytes: 32 * MIB, maxConnections: 1024 });
    expect(defaultIntakeLimits(undefined)).toEqual({ maxBufferedBytes: 256 * MIB, maxConnections: 4096 });
  });
});
