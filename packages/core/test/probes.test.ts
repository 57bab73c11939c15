import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BufferBudget, createLogger, createMetrics, mountWebhook, NO_TRACING, type AdapterContext, type CloudEvent } from '../src/index.ts';
import { boundPort, closeServer, createHttpApp, listen } from '../src/http/server.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

async function serve(ready: () => readonly string[], rootProbe?: boolean) {
  const app = createHttpApp({ notReadyReasons: ready }, rootProbe === undefined ? {} : { rootProbe });
  const emitted: CloudEvent[] = [];
  const ctx = {
    http: app,
    metrics: createMetrics({ adapter: 'probes' }, false),
    logger: createLogger('error', {}),
    tracing: NO_TRACING,
    signal: new AbortController().signal,
    bufferBudget: new BufferBudget(1 << 20),
    emit: (event: CloudEvent) => {
      emitted.push(event);
      return Promise.resolve();
    },
  } as unknown as AdapterContext<unknown>;
  // A webhook intake on every path, as github, gitlab and eventbridge mount theirs.
  mountWebhook(ctx, {
    maxBodyBytes: 1024,
    receive: (request) => ({ kind: 'forward', events: [{ id: request.path, source: 'urn:test', type: 'dev.test' }] }),
  });
  const server = await listen(app, 0);
  servers.push(server);
  return { base: `http://127.0.0.1:${boundPort(server)}`, emitted };
}

describe('probes on PORT', () => {
  it('answers liveness on /, /health and /healthz and readiness on /readiness and /readyz, for GET and HEAD', async () => {
    const { base } = await serve(() => []);
    for (const path of ['/', '/health', '/healthz', '/readiness', '/readyz']) {
      for (const method of ['GET', 'HEAD']) {
        const response = await fetch(`${base}${path}`, { method });
        expect([path, method, response.status]).toEqual([path, method, 200]);
      }
    }
  });

  it('reports not ready on both readiness paths while liveness stays 200', async () => {
    const { base } = await serve(() => ['starting']);
    for (const path of ['/readiness', '/readyz']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ ready: false, reasons: ['starting'] });
    }
    for (const path of ['/', '/health', '/healthz']) expect((await fetch(`${base}${path}`)).status).toBe(200);
  });

  it('leaves POST / to the webhook intake mounted on the same port', async () => {
    const { base, emitted } = await serve(() => []);
    const response = await fetch(`${base}/`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
    expect(emitted.map((event) => event.id)).toEqual(['/']);
    expect((await fetch(`${base}/hooks`, { method: 'GET' })).status).toBe(405);
  });

  it('leaves GET / to an adapter that serves it itself', async () => {
    const { base } = await serve(() => [], false);
    expect((await fetch(`${base}/`)).status).toBe(405);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
