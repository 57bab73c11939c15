/**
 * What an adapter supplies for one hook target (a GitHub repository or organization, a GitLab
 * project or group): the REST calls on its hooks and how to read one of them. Everything else
 * (find by URL, create or correct, duplicates, retries, removal) is core's, the same for both.
 */
export interface HookBinding<H> {
  /** Names the target in logs and metrics: `repository owner/repo`, `project group/app`. */
  readonly target: string;
  list(signal: AbortSignal): Promise<readonly H[]>;
  /** Creates the desired hook. */
  create(signal: AbortSignal): Promise<H>;
  /** Rewrites `hook` to the desired settings. */
  update(hook: H, signal: AbortSignal): Promise<void>;
  remove(hook: H, signal: AbortSignal): Promise<void>;
  idOf(hook: H): number;
  urlOf(hook: H): string | undefined;
  /** What differs from the desired hook, for the log line; empty when it matches. */
  differences(hook: H): readonly string[];
  /** The HTTP status of a failed call; undefined when no answer came (network error, timeout). */
  statusOf(error: unknown): number | undefined;
  /** A log-safe account of a failed call (never a credential), with what to check. */
  explain(error: unknown): string;
}

/** URLs compared as URLs (`HTTPS://Host:443/x` is `https://host/x`), falling back to exact text. */
export function sameHookUrl(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  if (!URL.canParse(a) || !URL.canParse(b)) return a === b;
  return new URL(a).href === new URL(b).href;
}
