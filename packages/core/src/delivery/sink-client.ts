import { rootCertificates } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { CloudEvent } from '../event/cloudevent.ts';
import { createEncoder, type ContentMode, type Encoder } from '../event/encode.ts';
import type { Extensions } from '../event/cloudevent.ts';
import { DeliveryError } from '../errors.ts';
import type { DeliveryMetrics } from '../observability/metrics.ts';
import type { AttemptError, SinkMetrics } from '../observability/sink-metrics.ts';
import type { AttemptSpan, DeliveryTracer } from '../observability/tracing.ts';
import { Limiter } from './limiter.ts';
import { backoffDelay, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry.ts';
import type { BearerToken } from './bearer-token.ts';

export interface SinkClientOptions {
  readonly sink: URL;
  readonly mode: ContentMode;
  readonly overrides: Extensions;
  /** Per-request timeout; 0 means none (Knative's K_SINK_TIMEOUT ≤ 0). */
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  /** Deliveries in flight at once; further `send` calls wait for a slot. */
  readonly maxInFlight: number;
  /** PEM trusted for an https sink in addition to the system roots (K_CA_CERTS). */
  readonly caCerts?: string | undefined;
  /** The `Authorization: Bearer` token (OIDC); fetched per attempt, refreshed once after a 401. */
  readonly token?: BearerToken | undefined;
  /** Sent as `Kn-Namespace`, as Knative's adapters do. */
  readonly namespace?: string | undefined;
  readonly metrics: DeliveryMetrics;
  /** Set only when tracing is on: each attempt becomes a client span and carries `traceparent`. */
  readonly tracer?: DeliveryTracer | undefined;
  /**
   * A pool and in-flight limit shared with other clients to the same origin (one broker ingress,
   * many broker paths); when absent the client makes its own.
   */
  readonly connection?: SinkConnection | undefined;
}

/** Keep-alive connections to one sink origin and the limit on deliveries in flight through them. */
export interface SinkConnection {
  readonly pool: Pool;
  readonly limiter: Limiter;
}

const CONNECT_TIMEOUT_MS = 10_000;

export function createSinkConnection(
  origin: string,
  options: Pick<SinkClientOptions, 'maxInFlight' | 'timeoutMs' | 'caCerts'>,
): SinkConnection {
  const pool = new Pool(origin, {
    connections: options.maxInFlight,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    // undici reads 0 as "no timeout", which is what K_SINK_TIMEOUT ≤ 0 asks for.
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: {
      // Establishing a connection stays bounded even without a request timeout, as Go's dialer.
      timeout: options.timeoutMs === 0 ? CONNECT_TIMEOUT_MS : Math.min(options.timeoutMs, CONNECT_TIMEOUT_MS),
      ...(options.caCerts ? { ca: [...rootCertificates, options.caCerts] } : {}),
    },
  });
  return { pool, limiter: new Limiter(options.maxInFlight) };
}

export interface DeliveryResult {
  readonly status: number;
  readonly attempts: number;
}

/**
 * Delivers CloudEvents to K_SINK over a keep-alive undici pool. `send` resolves only when the
 * sink answered 2xx and rejects with a DeliveryError otherwise, so callers can leave the upstream
 * event unacknowledged. (The `cloudevents` package's transport cannot see status codes.)
 */
export class SinkClient {
  readonly #options: SinkClientOptions;
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #path: string;
  readonly #encode: Encoder;
  readonly #limiter: Limiter;
  readonly #sinkMetrics: SinkMetrics;
  readonly #closing = new AbortController();
  readonly #idleWaiters = new Set<() => void>();
  #pending = 0;

  constructor(options: SinkClientOptions) {
    this.#options = options;
    this.#path = `${options.sink.pathname}${options.sink.search}`;
    const connection = options.connection ?? createSinkConnection(options.sink.origin, options);
    this.#ownsPool = options.connection === undefined;
    this.#pool = connection.pool;
    this.#limiter = connection.limiter;
    this.#sinkMetrics = options.metrics.forSink({ sink: options.sink, namespace: options.namespace });
    this.#encode = createEncoder({
      mode: options.mode,
      overrides: options.overrides,
      staticHeaders: options.namespace ? { 'kn-namespace': options.namespace } : {},
    });
  }

  /** This client's deliveries being attempted now plus those waiting for a slot. */
  get pending(): number {
    return this.#pending;
  }

  async send(event: CloudEvent): Promise<DeliveryResult> {
    if (this.#closing.signal.aborted) throw closed(0);
    const metrics = this.#options.metrics;
    this.#pending++;
    const wait = this.#limiter.acquire();
    if (wait) {
      metrics.waitStarted();
      await wait;
      metrics.waitEnded();
    }
    metrics.started();
    try {
      return await this.#deliver(event);
    } finally {
      metrics.finished();
      this.#limiter.release();
      if (--this.#pending === 0) for (const resolve of this.#idleWaiters) resolve();
    }
  }

  /** Resolves true once nothing is in flight, false if `timeoutMs` passed first. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.pending === 0) return true;
    let resolveIdle: () => void = () => {};
    const idle = new Promise<boolean>((resolve) => {
      resolveIdle = () => resolve(true);
      this.#idleWaiters.add(resolveIdle);
    });
    const timer = sleep(timeoutMs, false, { ref: false });
    const drained = await Promise.race([idle, timer]);
    this.#idleWaiters.delete(resolveIdle);
    return drained;
  }

  /** Aborts pending retries and closes connections (a shared pool is closed by its owner). */
  async close(): Promise<void> {
    this.#closing.abort();
    if (this.#ownsPool) await this.#pool.destroy();
  }

  async #deliver(event: CloudEvent): Promise<DeliveryResult> {
    const { retry, metrics, token, tracer } = this.#options;
    const sinkMetrics = this.#sinkMetrics;
    const request = this.#encode(event);
    const started = performance.now();
    let lastStatus: number | undefined;
    let lastError: unknown;
    let refreshedToken = false;
    for (let attempt = 1; ; attempt++) {
      let waitMs: number | undefined;
      let attemptError: AttemptError | undefined;
      const attemptStarted = attempt === 1 && !refreshedToken ? started : performance.now();
      // Tracing off: `tracer` is undefined and nothing below allocates for it.
      let span: AttemptSpan | undefined;
      try {
        let headers = request.headers;
        if (token !== undefined) {
          const current = token.current();
          const value = typeof current === 'string' || current === undefined ? current : await current;
          if (value !== undefined) headers = { ...headers, authorization: `Bearer ${value}` };
        }
        if (tracer !== undefined) {
          span = tracer.attempt(event, this.#options.sink, attempt);
          headers = { ...headers, traceparent: span.traceparent };
          if (span.tracestate !== undefined) headers['tracestate'] = span.tracestate;
        }
        const response = await this.#pool.request({
          path: this.#path,
          method: 'POST',
          headers,
          body: request.body ?? null,
          // No per-request AbortSignal: close() destroys the pool, which fails in-flight requests,
          // and a listener per request costs measurable CPU (see BENCHMARKS.md, delivery).
        });
        await response.body.dump();
        lastStatus = response.statusCode;
        span?.end(response.statusCode);
        span = undefined;
        const now = performance.now();
        metrics.attempt(event.type, `${Math.floor(response.statusCode / 100)}xx`);
        sinkMetrics.attempt(response.statusCode, undefined, (now - attemptStarted) / 1000);
        if (response.statusCode >= 200 && response.statusCode < 300) {
          metrics.delivered(event.type, (now - started) / 1000);
          sinkMetrics.event(event.type, event.source, response.statusCode);
          return { status: response.statusCode, attempts: attempt };
        }
        // A rotated OIDC token: re-read once and try again without counting it as a retry.
        if (response.statusCode === 401 && token && !refreshedToken) {
          refreshedToken = true;
          if (await token.refresh()) {
            attempt--;
            continue;
          }
        }
        if (!isRetryableStatus(response.statusCode)) {
          metrics.failed(event.type, 'rejected');
          sinkMetrics.event(event.type, event.source, response.statusCode);
          throw new DeliveryError('SINK_REJECTED', `sink answered ${response.statusCode}`, {
            status: response.statusCode,
            attempts: attempt,
          });
        }
        waitMs = parseRetryAfter(response.headers['retry-after']);
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        span?.end(0, isTimeout(error) ? 'timeout' : ((error as { code?: string }).code ?? 'network'));
        if (this.#closing.signal.aborted) {
          metrics.failed(event.type, 'closed');
          throw closed(attempt, error);
        }
        lastError = error;
        attemptError = isTimeout(error) ? 'timeout' : 'network';
        metrics.attempt(event.type, attemptError);
        sinkMetrics.attempt(0, attemptError, (performance.now() - attemptStarted) / 1000);
      }
      if (attempt > retry.retries) {
        sinkMetrics.event(event.type, event.source, attemptError ? 0 : (lastStatus ?? 0), attemptError);
        break;
      }
      metrics.retried(event.type);
      sinkMetrics.retry(event.type, event.source, attemptError ? 0 : (lastStatus ?? 0), attemptError);
      const delay = Math.min(waitMs ?? backoffDelay(retry, attempt), retry.maxDelayMs);
      try {
        await sleep(delay, undefined, { signal: this.#closing.signal });
      } catch (error) {
        metrics.failed(event.type, 'closed');
        throw closed(attempt, error);
      }
    }
    metrics.failed(event.type, 'exhausted');
    const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
    throw new DeliveryError(
      'RETRIES_EXHAUSTED',
      `sink did not accept the event after ${retry.retries + 1} attempts (last ${lastStatus ?? 'no response'}${cause})`,
      { status: lastStatus, attempts: retry.retries + 1, cause: lastError },
    );
  }
}

function closed(attempts: number, cause?: unknown): DeliveryError {
  return new DeliveryError('CLIENT_CLOSED', 'delivery abandoned: the sink client is closed', { attempts, cause });
}

function isTimeout(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return code.includes('TIMEOUT');
}
