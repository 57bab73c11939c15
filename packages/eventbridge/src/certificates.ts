import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import { HttpError } from '@tributary/core';

/**
 * Where EventBridge's signing certificates may come from. Alibaba Cloud docs, "Signature
 * algorithm" (https://help.aliyun.com/en/eventbridge/user-guide/signature-algorithm): the target
 * checks that `x-eventbridge-signature-url` is an official certificate source, a domain of the
 * form `https://[RegionId]-eventbridge.oss-accelerate.aliyuncs.com`, and refuses the push if not.
 * OSS bucket names are global, so only Alibaba owns `<region>-eventbridge`.
 */
const OFFICIAL_HOST = /^[a-z0-9]+(?:-[a-z0-9]+)*-eventbridge\.oss-accelerate\.aliyuncs\.com$/;
const MAX_CERTIFICATE_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 5_000;
/** Certificates rotate rarely (`x509_public_certificate_2021012501.pem`); an hour bounds a revoked one's life. */
const CACHE_TTL_MS = 60 * 60 * 1000;
/** Regions × rotations in use at once; more distinct URLs evict the oldest. */
const MAX_CACHED = 32;

export interface CertificateSource {
  /** The public key of the certificate at `url`, once its URL passed the allow-list. */
  publicKey(url: string): Promise<KeyObject>;
}

export interface CertificateOptions {
  /**
   * Tests only: fetch the allow-listed URL's path from this loopback origin instead of Alibaba's
   * (the allow-list check still runs on the URL as sent). Config refuses any non-loopback origin.
   */
  readonly origin?: URL | undefined;
  readonly now?: () => number;
}

/** The official certificate URL as a URL, or a 401 naming why it is not one. */
export function officialCertificateUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused(`x-eventbridge-signature-url is not a URL`);
  }
  const official =
    url.protocol === 'https:' &&
    OFFICIAL_HOST.test(url.hostname) &&
    url.port === '' &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === '';
  if (!official) {
    throw refused(
      'x-eventbridge-signature-url is not an official EventBridge certificate source (https://<region>-eventbridge.oss-accelerate.aliyuncs.com/...)',
    );
  }
  return url;
}

/**
 * Fetches and caches signing certificates from the allow-listed domain only. Concurrent pushes
 * naming one URL share one download; a failed download is not cached, so the next push retries.
 */
export function eventBridgeCertificates(options: CertificateOptions = {}): CertificateSource {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { readonly key: Promise<KeyObject>; readonly expires: number }>();
  return {
    publicKey(raw: string): Promise<KeyObject> {
      const url = officialCertificateUrl(raw);
      const cached = cache.get(url.href);
      if (cached !== undefined && cached.expires > now()) return cached.key;
      const from = options.origin === undefined ? url : new URL(url.pathname, options.origin);
      const key = download(from);
      cache.delete(url.href);
      cache.set(url.href, { key, expires: now() + CACHE_TTL_MS });
      if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
      key.catch(() => {
        if (cache.get(url.href)?.key === key) cache.delete(url.href);
      });
      return key;
    },
  };
}

async function download(url: URL): Promise<KeyObject> {
  let text: string;
  try {
    const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status}`);
    }
    text = await readLimited(response);
  } catch (error) {
    // EventBridge retries a 5xx push; the certificate may be reachable then.
    throw new HttpError(
      503,
      'CERTIFICATE_UNAVAILABLE',
      `cannot fetch the signing certificate: ${(error as Error).message}`,
    );
  }
  try {
    return text.includes('BEGIN CERTIFICATE') ? new X509Certificate(text).publicKey : createPublicKey(text);
  } catch {
    throw refused('the signing certificate named by x-eventbridge-signature-url cannot be read');
  }
}

async function readLimited(response: Response): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_CERTIFICATE_BYTES)
      throw new Error(`certificate larger than ${MAX_CERTIFICATE_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function refused(message: string): HttpError {
  return new HttpError(401, 'BAD_SIGNATURE', message);
}
