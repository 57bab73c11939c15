import type { Hook, HookApi, HookSettings } from './hook-api.ts';

export interface DesiredHook {
  readonly url: string;
  readonly events: readonly string[];
  /** Undefined when intake runs unsigned. */
  readonly secret: string | undefined;
  /**
   * GitHub never reveals a hook's secret, so a changed secret cannot be seen. While a rotation is
   * under way (`GITHUB_SECRET_TOKEN_PREVIOUS` set) the hook is rewritten with the current secret;
   * the previous one is still accepted for deliveries already signed with it.
   */
  readonly rotatingSecret: boolean;
}

export type SyncOutcome = 'created' | 'updated' | 'unchanged';

export interface SyncResult {
  readonly hookId: number;
  readonly outcome: SyncOutcome;
  /** Why an existing hook was updated. */
  readonly differences: readonly string[];
  /** Other hooks with the same URL, left alone but worth a warning. */
  readonly duplicates: readonly number[];
}

/**
 * Finds the hook whose URL is ours and makes it match: created when missing, updated only when its
 * events, content type, active flag or secret differ, otherwise not written at all.
 */
export async function syncHook(
  api: HookApi,
  desired: DesiredHook,
  signal?: AbortSignal,
): Promise<SyncResult> {
  const matching = (await api.list(signal)).filter((hook) => sameUrl(hook.config.url, desired.url));
  const [hook, ...duplicates] = matching;
  const duplicateIds = duplicates.map((d) => d.id);
  if (hook === undefined) {
    const created = await api.create(settingsFor(desired, '0'), signal);
    return { hookId: created.id, outcome: 'created', differences: [], duplicates: duplicateIds };
  }
  const differences = hookDifferences(hook, desired);
  if (differences.length === 0)
    return { hookId: hook.id, outcome: 'unchanged', differences, duplicates: duplicateIds };
  // Keep the hook's own TLS-verification choice: it is the operator's, not ours.
  await api.update(hook.id, settingsFor(desired, String(hook.config.insecure_ssl ?? '0')), signal);
  return { hookId: hook.id, outcome: 'updated', differences, duplicates: duplicateIds };
}

export function hookDifferences(hook: Hook, desired: DesiredHook): string[] {
  const differences: string[] = [];
  if (!sameEvents(hook.events, desired.events))
    differences.push(`events [${hook.events.join(',')}] → [${desired.events.join(',')}]`);
  if (hook.config.content_type !== 'json')
    differences.push(`content type ${hook.config.content_type ?? 'unset'} → json`);
  if (!hook.active) differences.push('inactive → active');
  const hasSecret = hook.config.secret !== undefined && hook.config.secret !== '';
  if (desired.secret !== undefined && !hasSecret) differences.push('no secret → secret');
  else if (desired.secret === undefined && hasSecret) differences.push('secret → no secret');
  else if (desired.secret !== undefined && desired.rotatingSecret) differences.push('secret rotation');
  return differences;
}

function settingsFor(desired: DesiredHook, insecureSsl: string): HookSettings {
  return {
    // PATCH replaces the whole config, so the secret is always sent along (omitting it would clear it).
    config: {
      url: desired.url,
      content_type: 'json',
      insecure_ssl: insecureSsl,
      ...(desired.secret !== undefined && { secret: desired.secret }),
    },
    events: [...desired.events],
    active: true,
  };
}

function sameEvents(actual: readonly string[], desired: readonly string[]): boolean {
  const a = new Set(actual);
  const b = new Set(desired);
  return a.size === b.size && [...a].every((event) => b.has(event));
}

/** URLs compared as URLs (`HTTPS://Host:443/x` is `https://host/x`), falling back to exact text. */
export function sameUrl(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}
