import express, { type Express } from 'express';
import type { EventStore, RefusedRequest } from './event-store.ts';
import type { EventStreams } from './event-stream.ts';

/**
 * `GET /api/events`: the kept events (newest first) and the counts per type, as JSON.
 * `GET /api/stream`: the same, then live, as server-sent events.
 * `DELETE /api/events`: forget everything (the page's Clear button; every open page follows).
 * `POST /api/refused`: a companion (the playground) reports a request an adapter refused, so the
 * page shows why a webhook did not become an event. JSON only, as the actions proxy.
 */
export function mountApi(app: Express, store: EventStore, streams: EventStreams): void {
  app.get('/api/events', (_request, response) => {
    response
      .status(200)
      .set('cache-control', 'no-store')
      .json({ capacity: store.capacity, ...store.snapshot() });
  });
  app.get('/api/stream', (request, response) => streams.serve(request, response));
  app.post('/api/refused', express.json({ limit: '16kb' }), (request, response) => {
    // express.json leaves the body undefined for any other media type.
    const report = refusedReport(request.body as unknown);
    if (report === undefined) {
      response.status(400).json({
        error: 'INVALID_REPORT',
        message: 'send application/json {"by": string, "status": 400-599, "code": string, "reason": string}',
      });
      return;
    }
    store.refuse(report);
    response.status(202).end();
  });
  app.delete('/api/events', (_request, response) => {
    store.clear();
    response.status(204).end();
  });
}

function refusedReport(body: unknown): Omit<RefusedRequest, 'at'> | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { by, status, code, reason } = body as Record<string, unknown>;
  const text = (value: unknown, max: number) => typeof value === 'string' && value !== '' && value.length <= max;
  if (!text(by, 40) || !text(code, 80) || !text(reason, 1000)) return undefined;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) return undefined;
  return { by: by as string, status, code: code as string, reason: reason as string };
}
