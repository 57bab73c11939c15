const resolved = new Map<string, string | undefined>();

/**
 * The canonical IANA name of a time zone (`US/Eastern` → `America/New_York`, `Etc/UTC` → `UTC`),
 * or undefined when the name is unknown. Offsets such as `+08:00` are refused: they have no DST
 * rules, and Knative's `time.LoadLocation` does not accept them either. `Local` is refused too
 * (knative/eventing#5038: schedules must never depend on the pod's zone).
 */
export function resolveTimeZone(name: string): string | undefined {
  if (resolved.has(name)) return resolved.get(name);
  let zone: string | undefined;
  if (name !== '' && !/^[+-]/.test(name)) {
    try {
      zone = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      zone = undefined;
    }
  }
  resolved.set(name, zone);
  return zone;
}
