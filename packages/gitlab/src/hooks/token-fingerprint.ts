import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * GitLab never returns a hook's secret token, so "does the hook still carry our token?" cannot be
 * read back. The hook's `description` therefore records a salted scrypt fingerprint of it. This
 * tells nobody anything new: whoever can read hook settings can also repoint the hook and receive
 * the token in `X-Gitlab-Token`; scrypt keeps a weak token from being guessed offline cheaply.
 */
const MARKER = 'tributary-gitlab token';
const PATTERN = /tributary-gitlab token (none|scrypt\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+))/;

export function describeToken(token: string | undefined, salt: Buffer = randomBytes(16)): string {
  if (token === undefined) return `Managed by Tributary; ${MARKER} none`;
  return `Managed by Tributary; ${MARKER} scrypt$${salt.toString('base64url')}$${hash(token, salt).toString('base64url')}`;
}

/** Whether a hook description records exactly this token (or, for undefined, no token). */
export function descriptionMatchesToken(description: unknown, token: string | undefined): boolean {
  if (typeof description !== 'string') return false;
  const match = PATTERN.exec(description);
  if (!match) return false;
  if (match[1] === 'none') return token === undefined;
  if (token === undefined) return false;
  const expected = Buffer.from(match[3] ?? '', 'base64url');
  const actual = hash(token, Buffer.from(match[2] ?? '', 'base64url'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function hash(token: string, salt: Buffer): Buffer {
  return scryptSync(token, salt, 32);
}
