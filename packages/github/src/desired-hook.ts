import type { Hook, HookSettings } from './hook-api.ts';

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

/** The create/update body; `insecureSsl` keeps a hook's own TLS-verification choice (the operator's, not ours). */
export function settingsFor(desired: DesiredHook, insecureSsl: string): HookSettings {
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
