import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time string comparison for shared secrets (GitLab's `X-Gitlab-Token`, EventBridge's
 * token header). Knative's GitLab adapter compares with `!=`, which leaks how much of a guess matched.
 * Both sides are hashed first so unequal lengths take the same time too.
 */
export function safeEqual(actual: string, expected: string): boolean {
  return timingSafeEqual(sha256(actual), sha256(expected));
}

/**
 * `safeEqual` against a fixed secret, its digest computed once rather than on every request.
 */
export function secretMatcher(expected: string): (actual: string) => boolean {
  const digest = sha256(expected);
  return (actual) => timingSafeEqual(sha256(actual), digest);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
