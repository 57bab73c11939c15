export interface WebhookAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Posts one webhook to the adapter on 127.0.0.1:`port` the way GitLab does. */
export async function postWebhook(
  port: number,
  body: Uint8Array | string,
  headers: Readonly<Record<string, string>>,
  path = '/',
): Promise<WebhookAnswer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'GitLab/18.2.0', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}
