import type { IncomingHttpHeaders } from 'node:http';
import { HttpError, safeEqual } from '@tributary/core';

/** The header Alibaba EventBridge fills with the token configured on an HTTP target. */
export const TOKEN_HEADER = 'x-eventbridge-signature-token';

/**
 * The shared token, from `x-eventbridge-signature-token` (what EventBridge sends) or
 * `Authorization: Bearer` (what other pushers and proxies send), compared in constant time.
 * Any one matching credential authenticates the request.
 */
export function checkToken(headers: IncomingHttpHeaders, token: string): void {
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
  const matches = presented.map((candidate) => safeEqual(candidate, token));
  if (!matches.includes(true)) throw new HttpError(401, 'UNAUTHENTICATED', 'token does not match');
}
