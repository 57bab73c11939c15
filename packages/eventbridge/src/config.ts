import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { Env } from '@tributary/core';
import type { SignatureConfig } from './signature.ts';
import type { SignatureV2Config } from './signature-v2.ts';
import { eventBridgeCertificates } from './certificates.ts';

export interface EventBridgeConfig {
  /** Shared token (`x-eventbridge-signature-token` or `Authorization: Bearer`); undefined = not checked. */
  readonly token: string | undefined;
  /** Signed-push verification (v1, HMAC-SHA1); undefined = not checked. */
  readonly signature: SignatureConfig | undefined;
  /** Signed-push verification (v2, RSA-SHA256, certificate fetched from Alibaba); undefined = not checked. */
  readonly signatureV2: SignatureV2Config | undefined;
  /** Type patterns to forward (`oss:ObjectCreated:*`); empty = all. */
  readonly types: readonly string[];
  readonly maxBodyBytes: number;
  /** Answer within this (ms) or 503 while the delivery goes on; 0 (default): wait for the delivery. */
  readonly answerDeadlineMs: number;
  /** CloudEvent source for AWS envelopes; undefined = `arn:aws:events:<region>:<account>:event-bus/default`. */
  readonly awsSource: string | undefined;
}

const MIB = 1024 * 1024;
const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;

/** Env of the EventBridge adapter; every problem is collected, none thrown. */
export function readEventBridgeConfig(env: Env): EventBridgeConfig {
  const token = env.secret('EVENTBRIDGE_TOKEN');
  const allowUnauthenticated = env.bool('EVENTBRIDGE_ALLOW_UNAUTHENTICATED');
  const v2 = env.bool('EVENTBRIDGE_SIGNATURE_V2');
  const maxAgeMs = env.duration('EVENTBRIDGE_SIGNATURE_MAX_AGE', 60_000, { min: 1_000 });
  const signature = readSignature(env, v2, maxAgeMs);
  const signatureV2 = readSignatureV2(env, v2, maxAgeMs);
  if (token === undefined && signature === undefined && signatureV2 === undefined && !allowUnauthenticated) {
    env.problem(
      'EVENTBRIDGE_TOKEN',
      'required: set EVENTBRIDGE_TOKEN (or _FILE), EVENTBRIDGE_PUBLIC_KEY (or _FILE) or EVENTBRIDGE_SIGNATURE_V2=true, or EVENTBRIDGE_ALLOW_UNAUTHENTICATED=true to accept anyone',
    );
  }
  return {
    token,
    signature,
    signatureV2,
    types: env.list('EVENTBRIDGE_TYPES'),
    maxBodyBytes:
      env.int('EVENTBRIDGE_MAX_BODY_BYTES', { default: 8 * MIB, min: 1024, max: 256 * MIB }) ?? 8 * MIB,
    answerDeadlineMs: env.duration('EVENTBRIDGE_ANSWER_DEADLINE', 0),
    awsSource: env.string('EVENTBRIDGE_AWS_SOURCE'),
  };
}

function readSignature(env: Env, v2: boolean, maxAgeMs: number): SignatureConfig | undefined {
  const pem = env.secret('EVENTBRIDGE_PUBLIC_KEY');
  const targetUrl = env.url('EVENTBRIDGE_TARGET_URL');
  if (pem === undefined) {
    if (targetUrl !== undefined && !v2)
      env.problem(
        'EVENTBRIDGE_PUBLIC_KEY',
        'required when EVENTBRIDGE_TARGET_URL is set (or EVENTBRIDGE_SIGNATURE_V2=true)',
      );
    return undefined;
  }
  if (targetUrl === undefined) {
    env.problem(
      'EVENTBRIDGE_TARGET_URL',
      'required with EVENTBRIDGE_PUBLIC_KEY: the URL configured on the EventBridge target, as it is signed',
    );
  }
  const publicKeys = parsePublicKeys(env, pem);
  // The raw value, not URL.href: the signed text is the URL exactly as configured on the target.
  return { publicKeys, targetUrl: env.string('EVENTBRIDGE_TARGET_URL') ?? '', maxAgeMs };
}

/**
 * Version 2 signatures need no configured key: the certificate is fetched from the official
 * EventBridge domain the push names (allow-listed, cached). EVENTBRIDGE_CERTIFICATE_ORIGIN is a
 * test hook that serves those certificates from a loopback server; any other host is refused.
 */
function readSignatureV2(env: Env, enabled: boolean, maxAgeMs: number): SignatureV2Config | undefined {
  const origin = env.url('EVENTBRIDGE_CERTIFICATE_ORIGIN', { protocols: ['http:', 'https:'] });
  if (origin !== undefined && !LOOPBACK.has(origin.hostname)) {
    env.problem(
      'EVENTBRIDGE_CERTIFICATE_ORIGIN',
      `must be a loopback origin (tests only), got ${origin.hostname}`,
    );
  }
  if (!enabled) return undefined;
  const targetUrl = env.string('EVENTBRIDGE_TARGET_URL');
  if (targetUrl === undefined) {
    env.problem(
      'EVENTBRIDGE_TARGET_URL',
      'required with EVENTBRIDGE_SIGNATURE_V2: the URL configured on the EventBridge target, as it is signed',
    );
  }
  return {
    targetUrl: targetUrl ?? '',
    maxAgeMs,
    certificates: eventBridgeCertificates({ origin }),
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** PEM certificates (EventBridge publishes X.509 certificates) or public keys, one or more. */
function parsePublicKeys(env: Env, pem: string): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const [block, label] of pem.matchAll(PEM_BLOCK)) {
    try {
      keys.push(label === 'CERTIFICATE' ? new X509Certificate(block).publicKey : createPublicKey(block));
    } catch (error) {
      env.problem('EVENTBRIDGE_PUBLIC_KEY', `a ${label} block cannot be read: ${(error as Error).message}`);
    }
  }
  if (keys.length === 0 && env.problems.every((p) => p.variable !== 'EVENTBRIDGE_PUBLIC_KEY')) {
    env.problem('EVENTBRIDGE_PUBLIC_KEY', 'holds no PEM certificate or public key');
  }
  return keys;
}
