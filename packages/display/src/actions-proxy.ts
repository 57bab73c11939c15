import type { Express, Response } from 'express';
import type { Logger } from '@tributary/core';

const LIST_TIMEOUT_MS = 5_000;
const RUN_TIMEOUT_MS = 30_000;
const ACTION_ID = /^[A-Za-z0-9_-]+$/;

/**
 * Optional buttons on the page, offered by a companion service at `DISPLAY_ACTIONS_URL`
 * (the playground's sample sender, or any event generator). The display proxies the two calls
 * so the page only ever talks to its own origin:
 * `GET /api/actions` → `GET <url>` (the list), `POST /api/actions/<id>` → `POST <url>/<id>`.
 * A POST must be `application/json`, which a cross-site form cannot send without a preflight.
 */
export function mountActionsProxy(app: Express, actionsUrl: URL | undefined, logger: Logger): void {
  const base =
    actionsUrl === undefined
      ? undefined
      : new URL(actionsUrl.href.endsWith('/') ? actionsUrl.href : `${actionsUrl.href}/`);

  app.get('/api/actions', async (_request, response) => {
    if (base === undefined) {
      response.status(404).json({ error: 'NO_ACTIONS', message: 'DISPLAY_ACTIONS_URL is not set' });
      return;
    }
    await relay(response, base, { signal: AbortSignal.timeout(LIST_TIMEOUT_MS) }, logger);
  });

  app.post('/api/actions/:id', async (request, response) => {
    if (base === undefined) {
      response.status(404).json({ error: 'NO_ACTIONS', message: 'DISPLAY_ACTIONS_URL is not set' });
      return;
    }
    // Ids are plain names: `..` would otherwise resolve to a path outside the actions service.
    if (!ACTION_ID.test(request.params.id)) {
      response
        .status(404)
        .json({ error: 'NO_SUCH_ACTION', message: 'action ids are letters, digits, - and _' });
      return;
    }
    if (!request.is('application/json')) {
      response
        .status(415)
        .json({ error: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the request as application/json' });
      return;
    }
    const target = new URL(request.params.id, base);
    await relay(response, target, { method: 'POST', signal: AbortSignal.timeout(RUN_TIMEOUT_MS) }, logger);
  });
}

async function relay(response: Response, url: URL, init: RequestInit, logger: Logger): Promise<void> {
  try {
    const upstream = await fetch(url, { ...init, headers: { accept: 'application/json' } });
    const body = await upstream.text();
    response
      .status(upstream.status)
      .type(upstream.headers.get('content-type') ?? 'application/json')
      .send(body);
  } catch (error) {
    logger.warn({ err: error, url: url.href }, 'actions service unreachable');
    response.status(502).json({
      error: 'ACTIONS_UNREACHABLE',
      message: `the actions service did not answer: ${(error as Error).message}`,
    });
  }
}
