import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { CloudEvent } from '../event/cloudevent.ts';
import { isJsonMediaType } from '../event/attributes.ts';
import { DeliveryError, HttpError } from '../errors.ts';
import { closeAfterAnswer, readRawBody, refuseDeclaredOverLimit } from './raw-body.ts';
import { DeliveredIds } from './delivered-ids.ts';
import type { AdapterContext } from '../runtime/adapter.ts';
import { callerTraceContext } from '../observability/traced-emit.ts';

export interface WebhookRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Lower-cased media type without parameters (`application/json`), '' when absent. */
  readonly mediaType: string;
}

/** What is known of a request before its body is read. */
export type WebhookRequestHead = Omit<WebhookRequest, 'body'>;

export type WebhookOutcome =
  /**
   * Forward these events; answer 2xx only once the sink accepted all of them. `emit` sends them
   * somewhere other than K_SINK (a multi-tenant intake's per-source target from `ctx.emitTo`).
   */
  | {
      readonly kind: 'forward';
      readonly events: readonly CloudEvent[];
      readonly deliveryId?: string | undefined;
      readonly emit?: ((event: CloudEvent) => Promise<void>) | undefined;
    }
  /** Acknowledge without forwarding (e.g. an event type outside the allowlist). */
  | { readonly kind: 'ignore'; readonly reason: string };

export interface WebhookIntake {
  /** Largest body accepted; larger ones get 413 before they are buffered. */
  readonly maxBodyBytes: number;
  /**
   * Accepted media types (a list, or a predicate for intakes such as CloudEvents binary mode that
   * take any type but some); others get 415 before the body is read. Undefined accepts any.
   */
  readonly mediaTypes?: readonly string[] | ((mediaType: string, headers: IncomingHttpHeaders) => boolean) | undefined;
  /**
   * Refuse from the headers alone, before the body is read (throw HttpError): a token carried in a
   * header, the presence of a signature header. A stranger's upload then costs no buffer at all.
   */
  checkHeaders?(request: WebhookRequestHead): void | Promise<void>;
  /**
   * Milliseconds from a request's arrival within which it is answered (the sender's own timeout,
   * less a margin): past it the sender gets 503 `DELIVERY_PENDING` while the delivery goes on in the
   * background. Undefined or 0: the answer waits for the delivery, retries included.
   */
  readonly answerDeadlineMs?: number | undefined;
  /** Check and map one request. Throw HttpError for 400/401/...; never do I/O to the sink here. */
  receive(request: WebhookRequest): WebhookOutcome | Promise<WebhookOutcome>;
}

/**
 * Serves a webhook intake on every path but the probes. The answer tells the sender the truth:
 * 2xx only after the sink accepted every event of the request, 502 when the sink refused it,
 * 503 when the sink could not be reached in time (the sender's retry or redelivery is then right),
 * and the intake's own 4xx for bad requests. A delivery id already forwarded is acknowledged once
 * more without forwarding twice; concurrent copies of one delivery share one forwarding.
 */
export function mountWebhook(ctx: AdapterContext<unknown>, intake: WebhookIntake): void {
  const delivered = new DeliveredIds();
  const inFlight = new Map<string, Promise<void>>();
  const requests = ctx.metrics.counter('tributary_webhook_requests_total', 'Webhook requests by answer.', ['status']);
  const ignored = ctx.metrics.counter('tributary_webhook_ignored_total', 'Requests acknowledged but not forwarded.', ['reason']);
  const duplicates = ctx.metrics.counter('tributary_webhook_duplicates_total', 'Deliveries already forwarded.');
  const joined = ctx.metrics.counter('tributary_webhook_joined_total', 'Redeliveries that joined the same delivery still in flight.');
  const pastDeadline = ctx.metrics.counter(
    'tributary_webhook_answer_deadline_total',
    'Requests answered 503 at the answer deadline while their delivery went on.',
  );

  // One counter child per status, so the hot path skips prom-client's label hashing.
  const byStatus = new Map<number, { inc(): void }>();
  const answer = (response: ServerResponse, status: number, body: Record<string, unknown>) => {
    let counter = byStatus.get(status);
    if (counter === undefined) byStatus.set(status, (counter = requests.labels(String(status))));
    counter.inc();
    if (response.headersSent) return;
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  // Every event settles before the answer: a 5xx while siblings are still retrying would let the
  // sender's redelivery overlap those late deliveries.
  const forward = async (events: readonly CloudEvent[], emit: (event: CloudEvent) => Promise<void>) => {
    const results = await Promise.allSettled(events.map((event) => emit(event)));
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
  };

  ctx.http.use((request: IncomingMessage, response: ServerResponse) => {
    const arrived = Date.now();
    void handle(request, response, arrived).catch((error: unknown) => {
      if (error instanceof HttpError) {
        // Every refusal is logged with its reason, so an operator (and the playground, which
        // shows them on the page) can tell why a delivery did not become an event. A bad
        // credential is a warning: it is either a misconfigured sender or someone probing.
        const fields = { code: error.code, status: error.status, reason: error.message };
        if (error.status === 401) ctx.logger.warn(fields, 'request refused');
        else ctx.logger.info(fields, 'request refused');
        if (error.status === 405) response.setHeader('allow', 'POST');
        for (const [name, value] of Object.entries(error.headers ?? {})) if (!response.headersSent) response.setHeader(name, value);
        // Refused before the whole body arrived (413, a header check, 503 at shutdown or over
        // MAX_BUFFERED_BYTES): the rest is never buffered, and the connection ends once the answer is out.
        if (!request.complete) response.once('finish', () => closeAfterAnswer(request));
        answer(response, error.status, { error: error.code, message: error.message, ...error.details });
      } else if (error instanceof DeliveryError) {
        ctx.logger.warn({ err: error, code: error.code, status: error.status }, 'sink did not accept the webhook events');
        const status = error.code === 'SINK_REJECTED' ? 502 : 503;
        answer(response, status, { error: error.code, message: error.message });
      } else {
        ctx.logger.error({ err: error }, 'webhook handling failed');
        answer(response, 500, { error: 'INTERNAL', message: 'internal error' });
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse, arrived: number): Promise<void> {
    if (request.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'only POST is accepted');
    if (ctx.signal.aborted) throw new HttpError(503, 'SHUTTING_DOWN', 'shutting down');
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const { mediaTypes } = intake;
    const accepted =
      mediaTypes === undefined ||
      (typeof mediaTypes === 'function' ? mediaTypes(mediaType, request.headers) : mediaTypes.includes(mediaType));
    if (!accepted) {
      const expected = Array.isArray(mediaTypes) ? `one of ${mediaTypes.join(', ')}` : 'a supported type';
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `content type ${mediaType || '(none)'} is not accepted; send ${expected}`);
    }
    const head = { method: request.method, path: request.url ?? '/', headers: request.headers, mediaType };
    refuseDeclaredOverLimit(request, intake.maxBodyBytes);
    await intake.checkHeaders?.(head);
    // The body's bytes count against the process-wide budget until the answer is sent.
    const hold = ctx.bufferBudget.hold();
    response.once('close', hold.release);
    const body = await readRawBody(request, intake.maxBodyBytes, { signal: ctx.signal, hold });
    // RFC 8259 §8.1: JSON exchanged between systems is UTF-8. Decided here for every intake, so no
    // adapter forwards bytes as application/json that a consumer's JSON parser must refuse.
    if (isJsonMediaType(mediaType) && !isUtf8(body)) {
      throw new HttpError(400, 'BODY_NOT_UTF8', `the body is ${mediaType} but not valid UTF-8 (RFC 8259 §8.1)`);
    }
    const outcome = await intake.receive({ ...head, body });
    if (outcome.kind === 'ignore') {
      ignored.labels(outcome.reason).inc();
      return answer(response, 202, { status: 'ignored', reason: outcome.reason });
    }
    const id = outcome.deliveryId;
    if (id !== undefined && delivered.has(id)) {
      duplicates.inc();
      return answer(response, 200, { status: 'duplicate', delivery: id });
    }
    const emit = outcome.emit ?? ctx.emit;
    if (!ctx.tracing.enabled) return forwardOnce(response, outcome.events, id, emit, arrived);
    // The server span starts when the request arrived; its parent is the caller's context, known
    // only now for CloudEvents intake (the distributed-tracing extension of the events).
    return ctx.tracing.inSpan(
      'POST',
      {
        kind: 'server',
        startTime: arrived,
        parent: callerTraceContext(request.headers, outcome.events[0]?.extensions),
        attributes: { 'http.request.method': 'POST', 'url.path': (request.url ?? '/').split('?')[0], 'url.scheme': 'http' },
      },
      async (span) => {
        try {
          await forwardOnce(response, outcome.events, id, emit, arrived);
        } finally {
          if (response.headersSent) span.setAttributes({ 'http.response.status_code': response.statusCode });
        }
      },
    );
  }

  async function forwardOnce(
    response: ServerResponse,
    events: readonly CloudEvent[],
    id: string | undefined,
    emit: (event: CloudEvent) => Promise<void>,
    arrived: number,
  ): Promise<void> {
    let forwarding = id === undefined ? undefined : inFlight.get(id);
    if (forwarding === undefined) {
      forwarding = forward(events, emit);
      if (id !== undefined) {
        inFlight.set(id, forwarding);
        forwarding.then(
          () => delivered.add(id),
          () => {},
        ).finally(() => inFlight.delete(id));
      }
    } else {
      joined.inc();
    }
    if (intake.answerDeadlineMs === undefined || intake.answerDeadlineMs <= 0) await forwarding;
    else await answerWithin(forwarding, intake.answerDeadlineMs - (Date.now() - arrived), id);
    answer(response, 200, { status: 'accepted', events: events.length });
  }

  /**
   * Waits for the delivery until the sender's own deadline is near; past it, the sender is told 503
   * while the delivery goes on. Its redelivery (same delivery id) joins the delivery still in flight,
   * or is acknowledged as a duplicate once it went through, so retries never race each other.
   */
  async function answerWithin(forwarding: Promise<void>, remainingMs: number, id: string | undefined): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), Math.max(0, remainingMs));
    });
    try {
      if ((await Promise.race([forwarding, late])) !== 'late') return;
    } finally {
      clearTimeout(timer);
    }
    pastDeadline.inc();
    forwarding.then(
      () => ctx.logger.info({ delivery: id }, 'delivery accepted by the sink after the sender was answered 503'),
      (error: unknown) => ctx.logger.warn({ err: error, delivery: id }, 'delivery answered 503 at its deadline then failed'),
    );
    throw new HttpError(
      503,
      'DELIVERY_PENDING',
      `the sink has not accepted the events within the answer deadline (${intake.answerDeadlineMs} ms); ` +
        'delivery continues, and a redelivery with the same delivery id joins it',
      id === undefined ? undefined : { delivery: id },
    );
  }
}
