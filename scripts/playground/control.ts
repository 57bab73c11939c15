import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SampleResult } from './samples.ts';

/** A button on the page: one real delivery through one adapter. */
export interface Sample {
  readonly id: string;
  readonly label: string;
  /** The CloudEvent type the adapter turns it into (shown on the button). */
  readonly eventType: string;
  readonly adapter: string;
  send(): Promise<SampleResult>;
}

export interface ControlState {
  readonly samples: readonly Sample[];
  /** Whether an adapter can take a sample now, and why not. */
  availability(adapter: string): { readonly available: boolean; readonly reason?: string | undefined };
  /** Lines shown under the buttons: what runs on its own, what is missing and why. */
  notes(): string[];
}

export interface ControlServer {
  /** What the display's DISPLAY_ACTIONS_URL points at. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The playground's actions service for the display page (the display's actions contract):
 * `GET /actions/` lists the samples, `POST /actions/<id>` sends one. Loopback only.
 */
export async function startControl(state: () => ControlState): Promise<ControlServer> {
  const server: Server = createServer((request, response) => {
    handle(state(), request, response).catch((error: unknown) =>
      reply(response, 500, { ok: false, message: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/actions/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  state: ControlState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://control').pathname;
  if (request.method === 'GET' && path === '/actions/') {
    return reply(response, 200, {
      title: 'Send a sample through the real adapters',
      notes: state.notes(),
      actions: state.samples.map((sample) => ({
        id: sample.id,
        label: sample.label,
        eventType: sample.eventType,
        ...state.availability(sample.adapter),
      })),
    });
  }
  const sample =
    request.method === 'POST' ? state.samples.find((s) => path === `/actions/${s.id}`) : undefined;
  if (sample === undefined)
    return reply(response, 404, { ok: false, message: `no action at ${request.method} ${path}` });
  const { available, reason } = state.availability(sample.adapter);
  if (!available)
    return reply(response, 409, { ok: false, message: reason ?? `${sample.adapter} is not running` });
  try {
    const result = await sample.send();
    reply(response, result.ok ? 200 : 502, result);
  } catch (error) {
    reply(response, 502, { ok: false, message: `sending failed: ${(error as Error).message}` });
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
