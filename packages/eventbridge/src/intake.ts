import { createHash } from 'node:crypto';
import { HttpError, isJsonMediaType, secretMatcher, type CloudEvent, type Metrics, type WebhookIntake, type WebhookOutcome, type WebhookRequest } from '@tributary/core';
import { checkToken } from './auth.ts';
import { isBinaryMode } from './binary.ts';
import type { EventBridgeConfig } from './config.ts';
import { readEvents } from './read-events.ts';
import { SIGNATURE_HEADERS, verifySignature } from './signature.ts';
import { isSignedV2, verifySignatureV2, V2_HEADERS } from './signature-v2.ts';
import { compileTypeFilter } from './type-filter.ts';

/**
 * The push endpoint: authenticate, read every event of the request, drop types outside the
 * allowlist, and hand the rest to core, which answers 2xx only once the sink took all of them.
 * Media types: any with `ce-*` headers (binary mode), else JSON; core answers 415 before reading.
 */
export function eventBridgeIntake(config: EventBridgeConfig, metrics: Metrics): WebhookIntake {
  const accepts = compileTypeFilter(config.types);
  const tokenMatches = config.token === undefined ? undefined : secretMatcher(config.token);
  const received = metrics.counter(
    'tributary_eventbridge_events_total',
    'Events received, by request shape.',
    ['shape'],
  );
  const filtered = metrics.counter(
    'tributary_eventbridge_filtered_total',
    'Events acknowledged but outside EVENTBRIDGE_TYPES.',
  );
  return {
    maxBodyBytes: config.maxBodyBytes,
    answerDeadlineMs: config.answerDeadlineMs,
    // Binary mode carries any media type; everything else must be JSON. Decided before the body is read.
    mediaTypes: (mediaType, headers) => isBinaryMode(headers) || isJsonMediaType(mediaType),
    // The token travels in a header: a push without it is refused before its body is read.
    checkHeaders(request) {
      if (tokenMatches !== undefined) checkToken(request.headers, tokenMatches);
    },
    async receive(request: WebhookRequest): Promise<WebhookOutcome> {
      if (tokenMatches !== undefined) checkToken(request.headers, tokenMatches);
      await checkSignature(config, request);
      const { shape, events } = readEvents(request, { awsSource: config.awsSource });
      received.labels(shape).inc(events.length);
      const kept = events.filter((event) => accepts(event.type));
      if (kept.length < events.length) filtered.inc(events.length - kept.length);
      if (kept.length === 0 && events.length > 0) return { kind: 'ignore', reason: 'type-not-allowed' };
      return { kind: 'forward', events: kept, deliveryId: deliveryId(kept) };
    },
  };
}

/**
 * A push signed with version 2 is verified when EVENTBRIDGE_SIGNATURE_V2 is on; else v1 is, when a
 * key is configured. A push signed with v2 only, where only a v1 key is configured, cannot be
 * verified and is refused saying what to configure, rather than with a misleading "missing header".
 */
async function checkSignature(config: EventBridgeConfig, request: WebhookRequest): Promise<void> {
  const v2 = isSignedV2(request.headers);
  if (config.signatureV2 !== undefined && (v2 || config.signature === undefined)) {
    return verifySignatureV2(config.signatureV2, request.headers, request.body);
  }
  if (config.signature === undefined) return;
  if (v2 && request.headers[SIGNATURE_HEADERS.secret] === undefined) {
    throw new HttpError(
      401,
      'SIGNATURE_V2_NOT_ENABLED',
      `the push is signed with version 2 (${V2_HEADERS.signature}), which this endpoint checks only with EVENTBRIDGE_SIGNATURE_V2=true; EVENTBRIDGE_PUBLIC_KEY verifies version 1 only`,
    );
  }
  verifySignature(config.signature, request.headers, request.body);
}

/**
 * CloudEvents §3.1.1: source + id identify an event, so a redelivery of events the sink already
 * accepted is acknowledged without forwarding them twice.
 */
export function deliveryId(events: readonly CloudEvent[]): string | undefined {
  if (events.length === 0) return undefined;
  if (events.length === 1) return `${events[0]?.source}\n${events[0]?.id}`;
  const hash = createHash('sha256');
  for (const event of events) hash.update(`${event.source}\n${event.id}\n`);
  return `batch:${hash.digest('base64')}`;
}
