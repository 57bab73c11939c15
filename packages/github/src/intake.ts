import type { IncomingHttpHeaders } from 'node:http';
import {
  HttpError,
  type CloudEvent,
  type Logger,
  type Metrics,
  type WebhookIntake,
  type WebhookOutcome,
  type WebhookRequest,
  type WebhookRequestHead,
} from '@tributary/core';
import type { GitHubConfig } from './config.ts';
import { decodeBody, FORM_MEDIA_TYPE, JSON_MEDIA_TYPE } from './decode-body.ts';
import { SignatureVerifier } from './signature.ts';
import { githubCloudEvent, type SourceSettings } from './to-cloudevent.ts';

// GitHub event names are lower-case words joined by `_`; anything else cannot be one and would
// make a strange CloudEvent type.
const EVENT_NAME = /^[a-z0-9_]{1,100}$/;
// Delivery ids are GUIDs; allow any short printable token so GitHub Enterprise variants pass.
const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/;

/** What one webhook path checks and where its events go. */
export interface GitHubRoute {
  /** Throws HttpError 401 unless the body is signed with this route's secret. */
  readonly verify: (headers: IncomingHttpHeaders, body: Buffer) => void | Promise<void>;
  readonly eventTypes: ReadonlySet<string> | undefined;
  readonly settings: SourceSettings;
  /** Where the events go; K_SINK when undefined. */
  readonly emit?: ((event: CloudEvent) => Promise<void>) | undefined;
  /** Prefix of the delivery id core deduplicates on, so two sources never share one. */
  readonly deliveryKey?: string | undefined;
  /** What the headers alone decide (a signature header is present), before the body is read. */
  readonly checkHeaders?: ((headers: IncomingHttpHeaders) => void) | undefined;
}

/**
 * The GitHub webhook intake for core's `mountWebhook`: headers, signature, allowlist, body, mapping.
 * Core does the rest (405, 415, 413 before buffering, 2xx only after the sink accepted, 502/503,
 * delivery-id dedup), so a delivery GitHub redelivers after a failure is forwarded, and one that
 * already went through is acknowledged without a second event.
 */
export function createGitHubIntake(config: GitHubConfig, logger: Logger, metrics: Metrics): WebhookIntake {
  const verifier = new SignatureVerifier(config.secrets);
  const route: GitHubRoute = {
    verify: (headers, body) => verifier.verify(headers, body),
    checkHeaders: (headers) => verifier.checkPresent(headers),
    eventTypes: config.eventTypes,
    settings: { source: config.source, webUrl: config.webUrl },
  };
  return createRoutedGitHubIntake(config, logger, metrics, () => route);
}

/**
 * The same intake with the route chosen per request: by path for the multi-tenant adapter (one
 * GitHubSource per `/<namespace>/<name>`), throwing HttpError 404 for a path that is no source.
 */
export function createRoutedGitHubIntake(
  limits: Pick<GitHubConfig, 'maxBodyBytes' | 'answerDeadlineMs'>,
  logger: Logger,
  metrics: Metrics,
  routeFor: (path: string) => GitHubRoute | Promise<GitHubRoute>,
): WebhookIntake {
  const filtered = metrics.counter(
    'tributary_github_events_filtered_total',
    'Deliveries acknowledged but not forwarded: event outside GITHUB_EVENT_TYPES.',
    ['event'],
  );
  const rejected = metrics.counter(
    'tributary_github_requests_rejected_total',
    'Webhook requests refused, by reason.',
    ['code'],
  );

  // Headers first: a request for no source, or without GitHub's headers or signature, is refused
  // before its body is read.
  const checkHeaders = async (request: WebhookRequestHead) => {
    const route = await routeFor(request.path.split('?')[0] ?? '/');
    const event = requiredHeader(request.headers, 'x-github-event', EVENT_NAME);
    const deliveryId = requiredHeader(request.headers, 'x-github-delivery', DELIVERY_ID);
    route.checkHeaders?.(request.headers);
    return { route, event, deliveryId };
  };

  const receive = async (request: WebhookRequest): Promise<WebhookOutcome> => {
    const { route, event, deliveryId } = await checkHeaders(request);
    await route.verify(request.headers, request.body);
    if (route.eventTypes !== undefined && !route.eventTypes.has(event)) {
      filtered.labels(event).inc();
      return { kind: 'ignore', reason: 'event-not-allowed' };
    }
    const { payload, data } = decodeBody(request.mediaType, request.body);
    return {
      kind: 'forward',
      deliveryId: route.deliveryKey === undefined ? deliveryId : `${route.deliveryKey} ${deliveryId}`,
      events: [githubCloudEvent({ event, deliveryId, payload, data }, route.settings)],
      emit: route.emit,
    };
  };

  return {
    maxBodyBytes: limits.maxBodyBytes,
    answerDeadlineMs: limits.answerDeadlineMs,
    mediaTypes: [JSON_MEDIA_TYPE, FORM_MEDIA_TYPE],
    async checkHeaders(request) {
      try {
        await checkHeaders(request);
      } catch (error) {
        // Counted here; core logs every refusal with its reason.
        if (error instanceof HttpError) rejected.labels(error.code).inc();
        throw error;
      }
    },
    async receive(request) {
      try {
        return await receive(request);
      } catch (error) {
        // Counted here; core logs every refusal with its reason.
        if (error instanceof HttpError) rejected.labels(error.code).inc();
        throw error;
      }
    },
  };
}

function requiredHeader(headers: IncomingHttpHeaders, name: string, format: RegExp): string {
  const value = headers[name];
  if (value === undefined || value === '')
    throw new HttpError(400, 'HEADER_MISSING', `${name} header is missing`);
  if (typeof value !== 'string' || !format.test(value))
    throw new HttpError(400, 'HEADER_INVALID', `${name} header is not valid`);
  return value;
}
