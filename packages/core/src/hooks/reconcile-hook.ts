import { sameHookUrl, type HookBinding } from './hook-binding.ts';

export interface ReconcileResult {
  readonly hookId: number;
  readonly action: 'created' | 'updated' | 'unchanged';
  /** What was out of date on an updated hook. */
  readonly differences: readonly string[];
  /** Other hooks with our URL that were deleted (left by a concurrent replica, or by hand). */
  readonly duplicatesRemoved: readonly number[];
}

/**
 * One pass: find the hooks whose URL is ours, create one when there is none, correct it when it
 * differs, and delete the others. Several replicas may run this at the same moment; each lists
 * again after a create and every replica keeps the same hook (the lowest id), so they converge on
 * exactly one without a lock. A hook is found by URL, never by a remembered id, so restarts never
 * add a second one (eventing-gitlab #135, #193).
 */
export async function reconcileHook<H>(
  binding: HookBinding<H>,
  url: string,
  signal: AbortSignal,
): Promise<ReconcileResult> {
  let ours = await hooksAt(binding, url, signal);
  let createdId: number | undefined;
  if (ours.length === 0) {
    createdId = binding.idOf(await binding.create(signal));
    ours = await hooksAt(binding, url, signal);
    // A listing that does not show the hook just created: a lagging replica of the API. Fail the
    // pass; the next one (after a backoff) sees it and removes any duplicate.
    if (ours.length === 0)
      throw new Error(`the hook created on ${binding.target} (id ${createdId}) is not listed yet`);
  }
  const [keep, ...duplicates] = ours as [H, ...H[]];
  const duplicatesRemoved: number[] = [];
  for (const duplicate of duplicates) {
    await removeIfPresent(binding, duplicate, signal);
    duplicatesRemoved.push(binding.idOf(duplicate));
  }
  const hookId = binding.idOf(keep);
  if (createdId === hookId) return { hookId, action: 'created', differences: [], duplicatesRemoved };
  const differences = binding.differences(keep);
  if (differences.length === 0) return { hookId, action: 'unchanged', differences, duplicatesRemoved };
  await binding.update(keep, signal);
  return { hookId, action: 'updated', differences, duplicatesRemoved };
}

/** Our hooks on the target, lowest id first: the one every replica keeps. */
export async function hooksAt<H>(binding: HookBinding<H>, url: string, signal: AbortSignal): Promise<H[]> {
  return (await binding.list(signal))
    .filter((hook) => sameHookUrl(binding.urlOf(hook), url))
    .sort((a, b) => binding.idOf(a) - binding.idOf(b));
}

/** Deletes a hook; one already gone (404: another replica deleted it first) counts as deleted. */
export async function removeIfPresent<H>(
  binding: HookBinding<H>,
  hook: H,
  signal: AbortSignal,
): Promise<'deleted' | 'already-gone'> {
  try {
    await binding.remove(hook, signal);
    return 'deleted';
  } catch (error) {
    if (binding.statusOf(error) === 404) return 'already-gone';
    throw error;
  }
}
