import type { Express } from 'express';
import type { EventStore } from './event-store.ts';
import type { EventStreams } from './event-stream.ts';

/**
 * `GET /api/events`: the kept events (newest first) and the counts per type, as JSON.
 * `GET /api/stream`: the same, then live, as server-sent events.
 * `DELETE /api/events`: forget everything (the page's Clear button; every open page follows).
 */
export function mountApi(app: Express, store: EventStore, streams: EventStreams): void {
  app.get('/api/events', (_request, response) => {
    response
      .status(200)
      .set('cache-control', 'no-store')
      .json({ capacity: store.capacity, ...store.snapshot() });
  });
  app.get('/api/stream', (request, response) => streams.serve(request, response));
  app.delete('/api/events', (_request, response) => {
    store.clear();
    response.status(204).end();
  });
}
