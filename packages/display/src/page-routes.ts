import type { Express, Response } from 'express';
import indexHtml from '../page/index.html' with { type: 'text' };
import styleCss from '../page/style.css' with { type: 'text' };
import appJs from '../.page/app.js.txt' with { type: 'text' };

/**
 * The page needs nothing but its own server: no CDN, no fonts, no inline script, so a strict
 * Content-Security-Policy holds. Links are relative, so the page also works behind a path
 * prefix (`kubectl proxy`, an ingress sub-path).
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

function sendText(response: Response, type: string, text: string): void {
  response.status(200).set(SECURITY_HEADERS).type(type).send(text);
}

export function mountPage(app: Express): void {
  app.get('/', (_request, response) => sendText(response, 'text/html; charset=utf-8', indexHtml));
  app.get('/assets/app.js', (_request, response) =>
    sendText(response, 'text/javascript; charset=utf-8', appJs),
  );
  app.get('/assets/style.css', (_request, response) =>
    sendText(response, 'text/css; charset=utf-8', styleCss),
  );
}
