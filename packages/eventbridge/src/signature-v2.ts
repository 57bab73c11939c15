import type { IncomingHttpHeaders } from 'node:http';
import { verify } from 'node:crypto';
import { HttpError } from '@tributary/core';
import { TOKEN_HEADER } from './auth.ts';
import type { CertificateSource } from './certificates.ts';

/**
 * Alibaba EventBridge's signed HTTP pushes, version 2 (RSA-SHA256). Alibaba Cloud docs,
 * "Signature algorithm" (https://help.aliyun.com/en/eventbridge/user-guide/signature-algorithm):
 * EventBridge builds the string-to-sign, hashes it with SHA256 (named in `x-eventbridge-hash-method`),
 * signs the hash with its RSA private key (PKCS#1 v1.5, i.e. SHA256withRSA), puts the Base64
 * signature in `x-eventbridge-signature-v2`, the time in `x-eventbridge-signature-timestamp` and the
 * certificate URL in `x-eventbridge-signature-url`. The target refuses timestamps more than 60 s
 * away and certificate URLs outside `https://<region>-eventbridge.oss-accelerate.aliyuncs.com`.
 *
 * The string-to-sign has the shape the same page gives for both versions (doc 207037,
 * "String-to-sign format"): the target URL as configured, the fixed headers as `name: value` lines
 * in this order, then the body:
 *
 *   <target URL with query> "\n"
 *   "x-eventbridge-signature-timestamp: " ts "\n"
 *   "x-eventbridge-hash-method: " "SHA256" "\n"
 *   ["x-eventbridge-signature-version: " version "\n"]   (when the header is present)
 *   "x-eventbridge-signature-url: " url "\n"
 *   ["x-eventbridge-signature-token: " token "\n"]       (when the header is present)
 *   body
 *
 * The documented formula ends with the body; Alibaba's v1 reference verifier
 * (aliyun/alibabacloud-eventbridge-sdk, util/java `StringToSignBuilder`) appends one more "\n".
 * No reference verifier for v2 is published, so both endings are accepted. They differ only by
 * a trailing line feed, so the most a forger gains is adding or dropping one final "\n" of a body
 * EventBridge signed (insignificant whitespace for the JSON EventBridge pushes).
 */
export interface SignatureV2Config {
  /** The URL configured on the EventBridge target, query included: the first line signed. */
  readonly targetUrl: string;
  readonly maxAgeMs: number;
  readonly certificates: CertificateSource;
}

export const V2_HEADERS = {
  signature: 'x-eventbridge-signature-v2',
  hashMethod: 'x-eventbridge-hash-method',
  timestamp: 'x-eventbridge-signature-timestamp',
  version: 'x-eventbridge-signature-version',
  url: 'x-eventbridge-signature-url',
} as const;

/** True when the push carries a version 2 signature. */
export function isSignedV2(headers: IncomingHttpHeaders): boolean {
  return headers[V2_HEADERS.signature] !== undefined;
}

/** The signed bytes; `finalNewline` selects the v1-reference ending (see above). */
export function stringToSignV2(
  targetUrl: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  finalNewline: boolean,
): Buffer {
  const { timestamp, hashMethod, version, url } = V2_HEADERS;
  const lines = [targetUrl];
  for (const name of [timestamp, hashMethod, version, url, TOKEN_HEADER]) {
    const value = headerValue(headers, name);
    const optional = name === version || name === TOKEN_HEADER;
    if (value !== undefined || !optional) lines.push(`${name}: ${value ?? ''}`);
  }
  const head = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  return finalNewline ? Buffer.concat([head, body, Buffer.from('\n')]) : Buffer.concat([head, body]);
}

export async function verifySignatureV2(
  config: SignatureV2Config,
  headers: IncomingHttpHeaders,
  body: Buffer,
  now = Date.now(),
): Promise<void> {
  const required = (name: string): string => {
    const value = headerValue(headers, name);
    if (value === undefined || value === '') throw unauthenticated(`missing ${name}`);
    return value;
  };
  const presented = Buffer.from(required(V2_HEADERS.signature), 'base64');
  const hashMethod = required(V2_HEADERS.hashMethod);
  if (hashMethod.toUpperCase() !== 'SHA256') {
    throw unauthenticated(`unsupported ${V2_HEADERS.hashMethod} ${JSON.stringify(hashMethod)}`);
  }
  const timestamp = Number(required(V2_HEADERS.timestamp));
  if (!Number.isSafeInteger(timestamp) || Math.abs(now - timestamp) > config.maxAgeMs) {
    throw unauthenticated(`signature timestamp is outside the ${config.maxAgeMs / 1000} s window`);
  }
  // The allow-list check runs before anything is fetched; a foreign URL is a 401 here.
  const key = await config.certificates.publicKey(required(V2_HEADERS.url));
  const matches = [false, true].some((finalNewline) => {
    try {
      return verify('sha256', stringToSignV2(config.targetUrl, headers, body, finalNewline), key, presented);
    } catch {
      // A key type the signature cannot be checked with (say, a non-RSA certificate): no match.
      return false;
    }
  });
  if (!matches) throw unauthenticated('signature (version 2) does not match');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function unauthenticated(message: string): HttpError {
  return new HttpError(401, 'BAD_SIGNATURE', message);
}
