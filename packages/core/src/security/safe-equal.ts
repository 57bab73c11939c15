import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time string comparison for shared secrets (GitLab's `X-Gitlab-Token`, EventBridge's
 * token header). Knative's GitLab adapter compares with `!=`, which leaks how much of a guess matched.
 * Both sides are hashed first so unequal lengths take the same time too.
 */
export function safeEqual(actual: string, expected: string): boolean {
  const a = createHash('sha256').update(actual).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
