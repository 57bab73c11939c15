import { apiStatus, type HookRecord, type HooksApi } from './gitlab-api.ts';
import { hookDifferences, hookRequestOptions, sameHookUrl, type DesiredHook } from './desired-hook.ts';

export interface SyncResult {
  readonly hookId: number;
  readonly action: 'created' | 'updated' | 'unchanged';
  /** What was out of date on an updated hook. */
  readonly differences: readonly string[];
  /** Extra hooks with our URL that were deleted (Knative left such duplicates: #135, #193). */
  readonly duplicatesRemoved: number;
}

/**
 * Brings the hook for `desired.url` on one project or group to the desired state with as few
 * writes as possible: found by URL (not by a remembered id, so restarts never add a second hook),
 * created when missing, edited only when a flag, SSL verification or the token differs.
 */
export async function syncHook(api: HooksApi, resourceId: number, desired: DesiredHook): Promise<SyncResult> {
  const ours = (await api.all(resourceId))
    .filter((hook) => sameHookUrl(hook.url, desired.url))
    .sort((a, b) => a.id - b.id);
  const [keep, ...duplicates] = ours;
  for (const duplicate of duplicates) await removeHook(api, resourceId, duplicate.id);
  const duplicatesRemoved = duplicates.length;
  if (keep === undefined) {
    const created: HookRecord = await api.add(resourceId, desired.url, hookRequestOptions(desired));
    return { hookId: created.id, action: 'created', differences: [], duplicatesRemoved };
  }
  const differences = hookDifferences(keep, desired);
  if (differences.length === 0)
    return { hookId: keep.id, action: 'unchanged', differences, duplicatesRemoved };
  await api.edit(resourceId, keep.id, desired.url, hookRequestOptions(desired));
  return { hookId: keep.id, action: 'updated', differences, duplicatesRemoved };
}

/** Deletes a hook; one that is already gone (404) counts as deleted. */
export async function removeHook(
  api: HooksApi,
  resourceId: number,
  hookId: number,
): Promise<'deleted' | 'already-gone'> {
  try {
    await api.remove(resourceId, hookId);
    return 'deleted';
  } catch (error) {
    if (apiStatus(error) === 404) return 'already-gone';
    throw error;
  }
}
