/**
 * `EVENTBRIDGE_TYPES`: an allowlist of type patterns in which `*` stands for any run of
 * characters (`oss:ObjectCreated:*`). No pattern means every type passes.
 */
export type TypeFilter = (type: string) => boolean;

export function compileTypeFilter(patterns: readonly string[]): TypeFilter {
  if (patterns.length === 0) return () => true;
  const exact = new Set(patterns.filter((pattern) => !pattern.includes('*')));
  const wildcards = patterns.filter((pattern) => pattern.includes('*')).map(toRegExp);
  return (type) => exact.has(type) || wildcards.some((pattern) => pattern.test(type));
}

function toRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}
