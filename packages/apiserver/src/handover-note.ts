import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Collection } from './watch-plan.ts';

/** Per collection (collectionKey), the resourceVersion up to which every change was delivered. */
export type DeliveredVersions = ReadonlyMap<string, string>;

/**
 * Notes past this size are deflated. A Lease's annotations may hold 256 KiB in all
 * (apimachinery's TotalAnnotationSizeLimitB); JSON stays readable with `kubectl get lease` while
 * it is small, as it is for a few hundred collections.
 */
const DEFLATE_ABOVE = 16 * 1024;
/** Never more than this (of the 256 KiB); beyond it the last collections are left out. */
export const MAX_NOTE_BYTES = 128 * 1024;
const DEFLATED = 'z1:';

/**
 * What identifies a collection across leaders: its URL path and label selector. Two resources
 * with the same path but different selectors are different collections; a collection whose
 * selector changed between two versions of the configuration starts fresh.
 */
export function collectionKey(collection: Pick<Collection, 'path' | 'selector'>): string {
  return collection.selector === '' ? collection.path : `${collection.path}?${collection.selector}`;
}

/**
 * `{"v":1,"rv":{"/api/v1/namespaces/team-a/pods":"48213",...}}`, deflated and base64-encoded
 * behind `z1:` when large. `omitted` counts the collections that did not fit in MAX_NOTE_BYTES
 * (they start fresh on the next leader, as after a crash).
 */
export function encodeHandoverNote(versions: DeliveredVersions): { note: string; omitted: number } {
  let entries = [...versions];
  for (;;) {
    const note = pack(entries);
    if (Buffer.byteLength(note) <= MAX_NOTE_BYTES || entries.length === 0)
      return { note, omitted: versions.size - entries.length };
    // Keep the share that fits, with a margin; rarely more than one round.
    entries = entries.slice(0, Math.floor((entries.length * MAX_NOTE_BYTES * 0.9) / Buffer.byteLength(note)));
  }
}

function pack(entries: ReadonlyArray<readonly [string, string]>): string {
  const json = JSON.stringify({ v: 1, rv: Object.fromEntries(entries) });
  if (json.length <= DEFLATE_ABOVE) return json;
  return DEFLATED + deflateRawSync(json).toString('base64');
}

export class HandoverNoteError extends Error {
  readonly code = 'HANDOVER_NOTE_INVALID';

  constructor(reason: string) {
    super(`handover note not usable: ${reason}`);
    this.name = 'HandoverNoteError';
  }
}

/** The versions of a note; throws HandoverNoteError for anything this adapter did not write. */
export function decodeHandoverNote(note: string): Map<string, string> {
  let json = note;
  if (note.startsWith(DEFLATED)) {
    try {
      json = inflateRawSync(Buffer.from(note.slice(DEFLATED.length), 'base64')).toString('utf8');
    } catch (error) {
      throw new HandoverNoteError(`cannot inflate: ${(error as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new HandoverNoteError('not JSON');
  }
  const { v, rv } = (parsed ?? {}) as { v?: unknown; rv?: unknown };
  if (v !== 1) throw new HandoverNoteError(`unknown version ${JSON.stringify(v)}`);
  if (typeof rv !== 'object' || rv === null || Array.isArray(rv))
    throw new HandoverNoteError('no "rv" object');
  const versions = new Map<string, string>();
  for (const [key, value] of Object.entries(rv)) {
    if (typeof value !== 'string' || value === '')
      throw new HandoverNoteError(`bad resourceVersion for ${key}`);
    versions.set(key, value);
  }
  return versions;
}
