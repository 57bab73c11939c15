import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudEvent, ValidationError } from 'cloudevents';
import { decodeHeader } from './decode-header.ts';

export type ReceivedMode = 'binary' | 'structured' | 'batch';

/** One CloudEvent as it arrived, decoded and validated against CloudEvents 1.0 by the SDK. */
export interface ReceivedEvent {
  /** Context attributes and extensions, header values percent-decoded (binary) or as sent (JSON). */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The data bytes exactly as on the wire (binary), or the JSON text of `data` / decoded `data_base64`. */
  readonly data: Buffer | undefined;
  readonly mode: ReceivedMode;
  readonly headers: IncomingHttpHeaders;
  readonly receivedAt: number;
  /** `data` parsed as JSON (throws when it is not JSON). */
  json<T = unknown>(): T;
  text(): string;
}

export interface RejectedRequest {
  readonly status: number;
  readonly reason: string;
  readonly headers: IncomingHttpHeaders;
}

export interface SinkFaults {
  /** Answer the next `count` requests with `status` (and optional Retry-After seconds). */
  failNext(count: number, status: number, retryAfterSeconds?: number): void;
  /** Answer every request with `status` until cleared with `undefined`. */
  alwaysFail(status: number | undefined): void;
  /** Wait this long before answering each request. */
  delay(ms: number): void;
  /** Never answer (until set back to false): a hung sink. */
  hang(enabled: boolean): void;
  /** Reset the connection of the next `count` requests without answering (a crashed or restarted sink). */
  resetNext(count: number): void;
}

export interface RecordingSink {
  readonly url: string;
  readonly events: readonly ReceivedEvent[];
  readonly rejected: readonly RejectedRequest[];
  /** Every HTTP request seen, including ones answered with an injected fault. */
  readonly requestCount: number;
  readonly faults: SinkFaults;
  /** Resolves once at least `count` events were accepted. */
  waitForEvents(count: number, timeoutMs?: number): Promise<readonly ReceivedEvent[]>;
  reset(): void;
  close(): Promise<void>;
}

export interface RecordingSinkOptions {
  readonly port?: number;
  /** Status for accepted requests (default 202, as Knative brokers answer). */
  readonly acceptStatus?: number;
  /**
   * Checks every request's `Authorization` header (an OIDC-protected sink, as a Knative broker with
   * authentication enabled): return undefined to accept, or the reason to answer 401 (recorded in
   * `rejected`). Checked before injected faults, so each delivery's token is asserted.
   */
  readonly authorize?: (authorization: string | undefined) => string | undefined;
  /** Called with every accepted event; with `retain: false` events are not kept (long soak runs). */
  readonly onEvent?: (event: ReceivedEvent) => void;
  readonly retain?: boolean;
}

/**
 * A loopback CloudEvents sink for tests. It parses binary, structured and batch requests itself
 * (so it is an independent check of core's encoder), validates each event with the `cloudevents`
 * SDK in strict mode, answers 400 to anything invalid, and can inject faults.
 */
export async function startRecordingSink(options: RecordingSinkOptions = {}): Promise<RecordingSink> {
  const events: ReceivedEvent[] = [];
  const rejected: RejectedRequest[] = [];
  const waiters = new Set<() => void>();
  let requestCount = 0;
  let failures: { count: number; status: number; retryAfter?: number | undefined } | undefined;
  let permanentStatus: number | undefined;
  let delayMs = 0;
  let hanging = false;
  let resets = 0;
  const hungResponses = new Set<() => void>();

  const server: Server = createServer((request, response) => {
    requestCount++;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body = '', headers: Record<string, string> = {}) => {
        const send = () => {
          if (!response.destroyed) response.writeHead(status, headers).end(body);
        };
        if (hanging) {
          hungResponses.add(send);
          return;
        }
        if (delayMs > 0) setTimeout(send, delayMs);
        else send();
      };
      if (resets > 0) {
        resets--;
        request.socket.resetAndDestroy();
        return;
      }
      const denied = options.authorize?.(request.headers.authorization);
      if (denied !== undefined) {
        rejected.push({ status: 401, reason: denied, headers: request.headers });
        return answer(401, denied);
      }
      if (failures && failures.count > 0) {
        failures.count--;
        const headers: Record<string, string> =
          failures.retryAfter !== undefined ? { 'retry-after': String(failures.retryAfter) } : {};
        return answer(failures.status, 'injected failure', headers);
      }
      if (permanentStatus !== undefined) return answer(permanentStatus, 'injected failure');
      try {
        const parsed = parseRequest(request.headers, Buffer.concat(chunks));
        for (const event of parsed) {
          options.onEvent?.(event);
          if (options.retain !== false) events.push(event);
        }
        for (const wake of waiters) wake();
        answer(options.acceptStatus ?? 202);
      } catch (error) {
        const reason =
          error instanceof ValidationError
            ? `${error.message} ${JSON.stringify(error.errors ?? '')}`
            : String(error);
        rejected.push({ status: 400, reason, headers: request.headers });
        answer(400, reason);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    events,
    rejected,
    get requestCount() {
      return requestCount;
    },
    faults: {
      failNext: (count, status, retryAfter) => {
        failures = { count, status, retryAfter };
      },
      alwaysFail: (status) => {
        permanentStatus = status;
      },
      delay: (ms) => {
        delayMs = ms;
      },
      resetNext: (count) => {
        resets = count;
      },
      hang: (enabled) => {
        hanging = enabled;
        if (!enabled) {
          for (const send of hungResponses) send();
          hungResponses.clear();
        }
      },
    },
    waitForEvents(count, timeoutMs = 10_000) {
      if (events.length >= count) return Promise.resolve(events);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`expected ${count} events at the sink, got ${events.length} within ${timeoutMs} ms`),
          );
        }, timeoutMs);
        const check = () => {
          if (events.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(events);
        };
        waiters.add(check);
      });
    },
    reset() {
      events.length = 0;
      rejected.length = 0;
      requestCount = 0;
      failures = undefined;
      permanentStatus = undefined;
      delayMs = 0;
      hanging = false;
      resets = 0;
    },
    close() {
      hanging = false;
      hungResponses.clear();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function parseRequest(headers: IncomingHttpHeaders, body: Buffer): ReceivedEvent[] {
  const contentType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (contentType === 'application/cloudevents-batch+json') {
    const batch: unknown = JSON.parse(body.toString('utf8'));
    if (!Array.isArray(batch)) throw new Error('batch body is not a JSON array');
    return batch.map((item) => fromStructured(item as Record<string, unknown>, headers, 'batch'));
  }
  if (contentType === 'application/cloudevents+json') {
    return [
      fromStructured(JSON.parse(body.toString('utf8')) as Record<string, unknown>, headers, 'structured'),
    ];
  }
  return [fromBinary(headers, body)];
}

function fromBinary(headers: IncomingHttpHeaders, body: Buffer): ReceivedEvent {
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('ce-') && typeof value === 'string') attributes[name.slice(3)] = decodeHeader(value);
  }
  if (headers['content-type'] !== undefined) attributes['datacontenttype'] = headers['content-type'];
  const data = body.length > 0 ? body : undefined;
  validate(attributes, data);
  return received(attributes, data, 'binary', headers);
}

function fromStructured(
  envelope: Record<string, unknown>,
  headers: IncomingHttpHeaders,
  mode: ReceivedMode,
): ReceivedEvent {
  const { data, data_base64: base64, ...attributes } = envelope;
  if (data !== undefined && base64 !== undefined) throw new Error('both data and data_base64 are set');
  requireContext(attributes);
  let bytes: Buffer | undefined;
  if (typeof base64 === 'string') bytes = Buffer.from(base64, 'base64');
  else if (typeof data === 'string') bytes = Buffer.from(data, 'utf8');
  else if (data !== undefined) bytes = Buffer.from(JSON.stringify(data), 'utf8');
  new CloudEvent(
    { ...attributes, ...(base64 !== undefined ? { data_base64: base64 } : { data }) } as never,
    true,
  );
  return received(attributes, bytes, mode, headers);
}

function validate(attributes: Record<string, unknown>, data: Buffer | undefined): void {
  requireContext(attributes);
  // The SDK validates context attributes and extension names in strict mode.
  new CloudEvent({ ...attributes, ...(data ? { data } : {}) } as never, true);
}

/**
 * CloudEvents 1.0 §3.1 REQUIRED attributes. Checked here because the SDK fills a missing id with a
 * UUID and does not reject an unknown specversion, which would hide an adapter's mistake.
 */
function requireContext(attributes: Record<string, unknown>): void {
  for (const name of ['id', 'source', 'type']) {
    const value = attributes[name];
    if (typeof value !== 'string' || value === '')
      throw new Error(`required attribute ${name} is missing or empty`);
  }
  if (attributes['specversion'] !== '1.0')
    throw new Error(`specversion must be 1.0, got ${String(attributes['specversion'])}`);
}

function received(
  attributes: Record<string, unknown>,
  data: Buffer | undefined,
  mode: ReceivedMode,
  headers: IncomingHttpHeaders,
): ReceivedEvent {
  return {
    attributes,
    data,
    mode,
    headers,
    receivedAt: Date.now(),
    json: <T>() => JSON.parse((data ?? Buffer.alloc(0)).toString('utf8')) as T,
    text: () => (data ?? Buffer.alloc(0)).toString('utf8'),
  };
}
