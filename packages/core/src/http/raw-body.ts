import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors.ts';
import type { BufferHold } from './buffer-budget.ts';

export interface ReadBodyOptions {
  /** Aborted (shutdown): stop reading and refuse with 503, so a half-received request is never acknowledged. */
  readonly signal?: AbortSignal | undefined;
  /** Where the buffered bytes are accounted (the process-wide `MAX_BUFFERED_BYTES`); 503 beyond it. */
  readonly hold?: BufferHold | undefined;
}

/** Seconds a sender is asked to wait (`Retry-After`) when the process is out of buffer room. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * Reads a request body up to `limit` bytes, holding one copy of it. A declared Content-Length over
 * the limit is refused before a byte is buffered, and is read straight into one buffer of that size;
 * a chunked body is cut off as soon as it passes the limit (its chunks are joined once at the end).
 */
export function readRawBody(request: IncomingMessage, limit: number, options: ReadBodyOptions = {}): Promise<Buffer> {
  const { signal, hold } = options;
  const declared = declaredLength(request);
  const sized = declared !== undefined;
  if (sized && declared > limit) return Promise.reject(tooLarge(limit));
  if (signal?.aborted) return Promise.reject(shuttingDown());
  if (sized && hold !== undefined && !hold.grow(declared)) return Promise.reject(busy());
  return new Promise((resolve, reject) => {
    // Content-Length known: one buffer of that size, filled in place (no chunk list, no concat).
    const whole = sized ? Buffer.allocUnsafe(declared) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: HttpError) => {
      cleanup();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) return fail(tooLarge(limit));
      if (whole !== undefined) {
        // The parser never passes more than Content-Length; guard anyway rather than overrun.
        if (size + chunk.length > whole.length) return fail(tooLarge(whole.length));
        chunk.copy(whole, size);
      } else {
        if (hold !== undefined && !hold.grow(chunk.length)) return fail(busy());
        chunks.push(chunk);
      }
      size += chunk.length;
    };
    const onEnd = () => {
      cleanup();
      if (whole !== undefined) resolve(size === whole.length ? whole : whole.subarray(0, size));
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) =>
      fail(new HttpError(400, 'BODY_UNREADABLE', `request body could not be read: ${error.message}`));
    const onAborted = () => onError(new Error('client aborted'));
    const onShutdown = () => fail(shuttingDown());
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
      signal?.removeEventListener('abort', onShutdown);
      // Stop the socket feeding bytes nobody will read; the caller answers and closes the connection.
      if (!request.complete) request.pause();
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onAborted);
    signal?.addEventListener('abort', onShutdown, { once: true });
  });
}

/** How long a refused sender has to read our answer before its connection is reset. */
const LINGER_MS = 2_000;

/**
 * Ends a connection whose request was answered before its body was read: our side is shut for
 * writing after the answer, the rest of the body is left unread in the kernel (not buffered here),
 * and the socket is destroyed LINGER_MS later. Destroying it at once would reset the connection
 * with unread bytes pending, and that reset can reach the sender before it read our answer
 * (the "lingering close" of RFC 9112 §9.6, without reading what a stranger keeps sending).
 */
export function closeAfterAnswer(request: IncomingMessage): void {
  const socket = request.socket;
  socket.end();
  // Node resumes an unread request once its answer is finished (to discard the body of a keep-alive
  // request), on the next tick; pausing after that leaves the rest in the kernel instead.
  setImmediate(() => socket.pause());
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** Throws 413 when the declared Content-Length is over `limit`: decided from the head alone. */
export function refuseDeclaredOverLimit(request: IncomingMessage, limit: number): void {
  const declared = declaredLength(request);
  if (declared !== undefined && declared > limit) throw tooLarge(limit);
}

function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  const declared = Number(header);
  return header !== undefined && Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'BODY_TOO_LARGE', `request body exceeds the limit of ${limit} bytes`);
}

function shuttingDown(): HttpError {
  return new HttpError(503, 'SHUTTING_DOWN', 'shutting down; send the request again', undefined, {
    'retry-after': String(BUSY_RETRY_AFTER_SECONDS),
  });
}

function busy(): HttpError {
  return new HttpError(503, 'BUSY', 'too many request bytes in flight; send the request again later', undefined, {
    'retry-after': String(BUSY_RETRY_AFTER_SECONDS),
  });
}
