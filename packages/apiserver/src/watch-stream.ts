import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { WatchEvent } from './kube-object.ts';

/** The watch sent nothing for too long while we were waiting for it: the connection is presumed dead. */
export class WatchIdleError extends Error {
  readonly code = 'WATCH_IDLE';

  constructor(idleMs: number) {
    super(`no data on the watch for ${Math.round(idleMs / 1000)} s`);
    this.name = 'WatchIdleError';
  }
}

/**
 * The events of a watch response (newline-delimited JSON), pulled one at a time. Nothing is read
 * from the socket while the caller is busy with an event, so a full delivery queue pushes back on
 * the API server through TCP instead of piling events up in memory. The idle timer only runs
 * while waiting for the server, never while the caller holds us back.
 */
export async function* watchEvents(body: Readable, idleTimeoutMs: number): AsyncGenerator<WatchEvent> {
  const decoder = new StringDecoder('utf8');
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending = '';
  try {
    for (;;) {
      const timer = setTimeout(() => body.destroy(new WatchIdleError(idleTimeoutMs)), idleTimeoutMs);
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } finally {
        clearTimeout(timer);
      }
      if (next.done) break;
      pending += decoder.write(next.value);
      let start = 0;
      for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n', start)) {
        const line = pending.slice(start, newline);
        start = newline + 1;
        if (line.trim() !== '') yield parseLine(line);
      }
      pending = pending.slice(start);
    }
    pending += decoder.end();
    if (pending.trim() !== '') yield parseLine(pending);
  } finally {
    body.destroy();
  }
}

function parseLine(line: string): WatchEvent {
  const event = JSON.parse(line) as Partial<WatchEvent>;
  if (typeof event.type !== 'string' || typeof event.object !== 'object' || event.object === null) {
    throw new Error(`malformed watch event: ${line.slice(0, 120)}`);
  }
  return event as WatchEvent;
}
