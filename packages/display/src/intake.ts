import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import { callerTraceContext, HttpError, readRawBody, type AdapterContext } from '@tributary/core';
import type { DisplayConfig } from './config.ts';
import { decodeRequest } from './decode/request.ts';
import type { EventStore } from './event-store.ts';

/**
 * Receives CloudEvents by POST on any path outside `/api/` (Knative delivers to the sink URL's
 * path, usually `/`). 202 once stored; a request that is not a valid CloudEvent gets 400 (415
 * for a non-JSON event format, 413 when too large) with the reason, and nothing else changes:
 * the stream and the events already kept are untouched.
 */
export function mountIntake(app: Express, ctx: AdapterContext<DisplayConfig>, store: EventStore): void {
  const rejected = ctx.metrics.counter('tributary_display_rejected_total', 'Requests refused, by reason.', [
    'code',
  ]);

  const refuse = (request: IncomingMessage, response: ServerResponse, error: HttpError) => {
    rejected.labels(error.code).inc();
    ctx.logger.warn({ code: error.code, reason: error.message, path: request.url }, 'request refused');
    store.refuse({ by: 'display', status: error.status, code: error.code, reason: error.message });
    if (response.headersSent) return;
    if (error.status === 413) {
      response.setHeader('connection', 'close');
      response.once('finish', () => request.destroy());
    }
    response.writeHead(error.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: error.code, message: error.message }));
  };

  app.use((request, response, next) => {
    if (request.method !== 'POST' || request.path.startsWith('/api/')) {
      next();
      return;
    }
    readRawBody(request, ctx.config.maxBodyBytes)
      .then((body) => {
        const events = decodeRequest(request.headers, body);
        const receive = async () => {
          store.add(events);
          response.status(202).end();
        };
        if (!ctx.tracing.enabled) return receive();
        // A server span in the sender's trace: its traceparent header, else the first event's
        // distributed-tracing extension.
        return ctx.tracing.inSpan(
          'POST',
          {
            kind: 'server',
            parent: callerTraceContext(request.headers, events[0]?.attributes),
            attributes: { 'http.request.method': 'POST', 'url.path': request.path, 'http.response.status_code': 202 },
          },
          receive,
        );
      })
      .catch((error: unknown) => {
        if (error instanceof HttpError) return refuse(request, response, error);
        ctx.logger.error({ err: error }, 'receiving failed');
        if (!response.headersSent)
          response.status(500).json({ error: 'INTERNAL', message: 'internal error' });
      });
  });
}
