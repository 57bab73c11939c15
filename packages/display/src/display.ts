import { once } from 'node:events';
import type { AdapterContext } from '@tributary/core';
import { mountActionsProxy } from './actions-proxy.ts';
import { mountApi } from './api-routes.ts';
import type { DisplayConfig } from './config.ts';
import { eventPrinter, refusedLine } from './event-log.ts';
import { EventStore } from './event-store.ts';
import { EventStreams } from './event-stream.ts';
import { mountIntake } from './intake.ts';
import { mountPage } from './page-routes.ts';

/**
 * Serves the sink, the page and its API on PORT until SIGTERM, then ends the open event streams
 * so the server can close (an open stream would otherwise hold the shutdown to its grace period).
 */
export async function runDisplay(ctx: AdapterContext<DisplayConfig>): Promise<void> {
  const { config, logger, metrics } = ctx;
  const received = metrics.counter('tributary_display_events_total', 'Events received, by type.', [
    'event_type',
  ]);
  const openStreams = metrics.gauge('tributary_display_streams', 'Pages connected to the live stream.');
  const store = new EventStore(config.maxEvents);
  const streams = new EventStreams(store, {
    hello: { capacity: store.capacity, actions: config.actionsUrl !== undefined },
    onSizeChange: (size) => openStreams.set(size),
  });
  const print = eventPrinter(config.logFormat, logger);
  store.subscribe((change) => {
    // Refusals by the display itself are in its warn log already; in text mode they also get a
    // line beside the events, and so do the ones adapters report (api-routes.ts).
    if (change.kind === 'refused' && config.logFormat === 'text') process.stdout.write(`${refusedLine(change.refused)}\n`);
    if (change.kind !== 'events') return;
    for (const event of change.events) {
      received.labels(String(event.attributes['type'])).inc();
      print(event);
    }
  });

  mountPage(ctx.http);
  mountApi(ctx.http, store, streams);
  mountActionsProxy(ctx.http, config.actionsUrl, logger);
  mountIntake(ctx.http, ctx, store);
  ctx.http.use((request, response) => {
    response
      .status(request.method === 'GET' ? 404 : 405)
      .json({ error: 'NOT_FOUND', message: `nothing at ${request.method} ${request.path}` });
  });

  if (!ctx.signal.aborted) await once(ctx.signal, 'abort');
  streams.closeAll();
}
