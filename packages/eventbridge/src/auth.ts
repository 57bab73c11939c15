import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '@tributary/core';

/** The header Alibaba EventBridge fills with the token configured on an HTTP target. */
export const TOKEN_HEADER = 'x-eventbridge-signature-token';

/**
 * The shared token, from `x-eventbridge-signature-token` (what EventBridge sends) or
 * `Authorization: Bearer` (what other pushers and proxies send), compared in constant time.
 * Any one matching credential authenticates the request. `matches` is core's `secretMatcher` of the
 * configured token, built once per process.
 */
export function checkToken(headers: IncomingHttpHeaders, matches: (candidate: string) => boolean): void {
  const presented: string[] = [];
  const header = headers[TOKEN_HEADER];
  if (typeof header === 'string') presented.push(header);
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  if (bearer !== null) presented.push((bearer[1] as string).trim());
  if (presented.length === 0) {
    throw new HttpError(
      401,
      'UNAUTHENTICATED',
      `missing token: send it in ${TOKEN_HEADER} or Authorization: Bearer`,
    );
  }
  // Compare every candidate so the time taken does not reveal which one matched.
  const results = presented.map(matches);
  if (!results.includes(true)) throw new HttpError(401, 'UNAUTHENTICATED', 'token does not match');
}
