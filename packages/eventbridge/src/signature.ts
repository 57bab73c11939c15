import type { IncomingHttpHeaders } from 'node:http';
import { constants, createHmac, publicDecrypt, type KeyObject } from 'node:crypto';
import { HttpError, safeEqual } from '@tributary/core';
import { TOKEN_HEADER } from './auth.ts';

/**
 * Alibaba EventBridge's signed HTTP pushes, version 1 (HMAC-SHA1), exactly as Alibaba's own
 * verifier does it (aliyun/alibabacloud-eventbridge-sdk, util/java `SignatureVerify` and
 * `StringToSignBuilder`; Alibaba Cloud docs "EventBridge signature algorithm", doc 207037):
 *
 *   secret       = RSA-PKCS#1-v1.5-public-decrypt(base64(x-eventbridge-signature-secret))
 *   StringToSign = <target URL with query> "\n"
 *                  "x-eventbridge-signature-timestamp: " ts "\n"
 *                  "x-eventbridge-signature-method: " method "\n"
 *                  "x-eventbridge-signature-version: " version "\n"
 *                  "x-eventbridge-signature-url: " url "\n"
 *                  ["x-eventbridge-signature-token: " token "\n"]   (when the header is present)
 *                  body "\n"
 *   signature    = base64(HMAC-SHA1(secret, StringToSign))
 *
 * The timestamp is in milliseconds; older than the window (60 s) means a replay. The public
 * key comes from configuration rather than from the URL the request names. The RSA-SHA256 "v2"
 * scheme (`x-eventbridge-signature-v2`) is in signature-v2.ts.
 */
export interface SignatureConfig {
  readonly publicKeys: readonly KeyObject[];
  /** The URL configured on the EventBridge target, query included: the first line signed. */
  readonly targetUrl: string;
  readonly maxAgeMs: number;
}

export const SIGNATURE_HEADERS = {
  signature: 'x-eventbridge-signature',
  timestamp: 'x-eventbridge-signature-timestamp',
  method: 'x-eventbridge-signature-method',
  version: 'x-eventbridge-signature-version',
  url: 'x-eventbridge-signature-url',
  secret: 'x-eventbridge-signature-secret',
} as const;

export function stringToSign(targetUrl: string, headers: IncomingHttpHeaders, body: Buffer): Buffer {
  const { timestamp, method, version, url } = SIGNATURE_HEADERS;
  const lines = [
    targetUrl,
    ...[timestamp, method, version, url].map((name) => `${name}: ${headerValue(headers, name) ?? ''}`),
  ];
  const token = headerValue(headers, TOKEN_HEADER);
  if (token !== undefined) lines.push(`${TOKEN_HEADER}: ${token}`);
  return Buffer.concat([Buffer.from(`${lines.join('\n')}\n`, 'utf8'), body, Buffer.from('\n')]);
}

export function verifySignature(
  config: SignatureConfig,
  headers: IncomingHttpHeaders,
  body: Buffer,
  now = Date.now(),
): void {
  const required = (name: string): string => {
    const value = headerValue(headers, name);
    if (value === undefined || value === '') throw unauthenticated(`missing ${name}`);
    return value;
  };
  const method = required(SIGNATURE_HEADERS.method);
  if (method !== 'HMAC-SHA1') throw unauthenticated(`unsupported signature method ${JSON.stringify(method)}`);
  const timestamp = Number(required(SIGNATURE_HEADERS.timestamp));
  if (!Number.isSafeInteger(timestamp) || Math.abs(now - timestamp) > config.maxAgeMs) {
    throw unauthenticated(`signature timestamp is outside the ${config.maxAgeMs / 1000} s window`);
  }
  required(SIGNATURE_HEADERS.version);
  required(SIGNATURE_HEADERS.url);
  const presented = required(SIGNATURE_HEADERS.signature);
  const secret = decryptSecret(config.publicKeys, required(SIGNATURE_HEADERS.secret));
  const expected = createHmac('sha1', secret)
    .update(stringToSign(config.targetUrl, headers, body))
    .digest('base64');
  if (!safeEqual(presented, expected)) throw unauthenticated('signature does not match');
}

/** Tries each configured key, so a certificate rotation can list the old and the new one. */
function decryptSecret(keys: readonly KeyObject[], encrypted: string): Buffer {
  const bytes = Buffer.from(encrypted, 'base64');
  for (const key of keys) {
    try {
      return publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, bytes);
    } catch {
      // Not this key.
    }
  }
  throw unauthenticated('signature secret cannot be decrypted with the configured public key');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function unauthenticated(message: string): HttpError {
  return new HttpError(401, 'BAD_SIGNATURE', message);
}
