import type { LeaderTerm, Logger } from '@tributary/core';
import { DeliveredVersion } from './delivered-version.ts';
import { collectionKey, decodeHandoverNote, encodeHandoverNote } from './handover-note.ts';
import type { Collection } from './watch-plan.ts';

/**
 * One leader term's side of a graceful handover. At the start it reads the note the previous
 * leader left (collection → the version it had delivered every change up to); each collection
 * present resumes from there. At the end, once the queue has drained, it writes the note for the
 * next leader from what this term delivered. Without election, or after a crash (no note), every
 * collection starts from the current state, as a fresh start does.
 */
export class Handover {
  readonly #previous: ReadonlyMap<string, string>;
  readonly #delivered = new Map<string, DeliveredVersion>();
  /** Keys of the collections this term plans to watch (fallbacks included); undefined until planned. */
  #planned: ReadonlySet<string> | undefined;

  private constructor(previous: ReadonlyMap<string, string>) {
    this.#previous = previous;
  }

  /** Reads the previous leader's note, logging how this term starts. */
  static start(term: LeaderTerm | undefined, logger: Logger): Handover {
    if (term === undefined) return new Handover(new Map());
    const { graceful, note } = term.previous;
    if (!graceful || note === undefined) {
      logger.info(
        { gracefulHandover: graceful },
        'no handover note: starting from the current state; changes made since the previous leader last delivered are not announced',
      );
      return new Handover(new Map());
    }
    try {
      const previous = decodeHandoverNote(note);
      logger.info(
        { collections: previous.size },
        'handover note: resuming from the versions the previous leader delivered',
      );
      return new Handover(previous);
    } catch (error) {
      logger.warn(
        { err: error },
        'handover note ignored: starting from the current state; changes may be missed',
      );
      return new Handover(new Map());
    }
  }

  /** The collections of this term, with their fallbacks: only their versions are handed on. */
  plan(collections: readonly Collection[]): void {
    const keys = new Set<string>();
    const add = (collection: Collection) => {
      keys.add(collectionKey(collection));
      collection.fallback?.forEach(add);
    };
    collections.forEach(add);
    this.#planned = keys;
  }

  /** A collection's watch starts: where it resumes from (if handed over) and its delivered version. */
  begin(collection: Collection): {
    readonly resumeFrom: string | undefined;
    readonly delivered: DeliveredVersion;
  } {
    const resumeFrom = this.#previous.get(collectionKey(collection));
    const delivered = new DeliveredVersion(resumeFrom);
    this.#delivered.set(collectionKey(collection), delivered);
    return { resumeFrom, delivered };
  }

  /** A cluster-wide collection gave way to its per-namespace fallbacks. */
  end(collection: Collection): void {
    this.#delivered.delete(collectionKey(collection));
  }

  /**
   * The note for the next leader: per planned collection the version delivered up to (this
   * term's, or the previous leader's for a collection not started), omitting collections with
   * none (a first list whose announcements were not all delivered: the next leader starts fresh).
   */
  note(): { note: string; collections: number; omitted: number } {
    const versions = new Map<string, string>();
    for (const [key, version] of this.#previous)
      if (this.#planned === undefined || this.#planned.has(key)) versions.set(key, version);
    for (const [key, delivered] of this.#delivered) {
      if (delivered.version === undefined) versions.delete(key);
      else versions.set(key, delivered.version);
    }
    const { note, omitted } = encodeHandoverNote(versions);
    return { note, collections: versions.size - omitted, omitted };
  }
}
