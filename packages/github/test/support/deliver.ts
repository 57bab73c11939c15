import { randomUUID } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';

export const TEST_SECRET = 'It’s a Secret to Everybody';

export interface Delivery {
  readonly event: string;
  readonly body: string;
  readonly id?: string | undefined;
  readonly contentType?: string;
  /** Headers to send instead of GitHub's defaults (`undefined` removes one). */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly secret?: string;
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Signs a body the way GitHub does, with @octokit/webhooks (HMAC-SHA256 over the body). */
export function sign(body: string, secret = TEST_SECRET): Promise<string> {
  return new Webhooks({ secret }).sign(body);
}

/** POSTs one webhook delivery the way GitHub's Hookshot sends it. */
export async function deliver(port: number, delivery: Delivery): Promise<Answer> {
  const headers: Record<string, string | undefined> = {
    'content-type': delivery.contentType ?? 'application/json',
    'user-agent': 'GitHub-Hookshot/044aadd',
    'x-github-event': delivery.event,
    'x-github-delivery': delivery.id ?? randomUUID(),
    'x-github-hook-id': '292430182',
    'x-hub-signature-256': await sign(delivery.body, delivery.secret),
    ...delivery.headers,
  };
  const response = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: Object.fromEntries(
      Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    body: delivery.body,
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** The form encoding GitHub uses for hooks created with `content_type: form`. */
export function formBody(json: string): string {
  return new URLSearchParams({ payload: json }).toString();
}
