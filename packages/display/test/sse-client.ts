import { waitFor } from '@tributary/testkit';

export interface SseMessage {
  readonly event: string;
  readonly data: unknown;
}

export interface SseClient {
  readonly messages: readonly SseMessage[];
  /** Resolves with the first message (in arrival order) that matches, waiting for it if needed. */
  next(match: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  readonly ended: Promise<void>;
  close(): void;
}

/** Reads a server-sent event stream with fetch, as a browser's EventSource would. */
export async function openStream(url: string): Promise<SseClient> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
  if (response.status !== 200 || response.body === null)
    throw new Error(`stream answered ${response.status}`);
  const messages: SseMessage[] = [];
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => !line.startsWith(':') && line.includes(':'))
              .map((line) => [
                line.slice(0, line.indexOf(':')),
                line.slice(line.indexOf(':') + 1).trimStart(),
              ]),
          );
          if (fields['data'] !== undefined)
            messages.push({ event: fields['event'] ?? 'message', data: JSON.parse(fields['data']) });
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    messages,
    ended,
    async next(match, timeoutMs = 10_000) {
      await waitFor(() => messages.some(match), { timeoutMs, what: 'a matching stream message' });
      return messages.find(match) as SseMessage;
    },
    close: () => controller.abort(),
  };
}
