/**
 * Told once per queued event whether the sink is done with it: `true` when the sink accepted it
 * (or refused it for good with a 4xx, so a successor must not send it again either), `false` when
 * it was given up at shutdown, undelivered.
 */
export type Settle = (done: boolean) => void;

/** The events one read position (a watch event, a whole list) queued. */
export interface DeliveryBatch {
  /** One more event of this position goes into the queue; call the result when it settles. */
  readonly track: () => Settle;
}

interface Batch extends DeliveryBatch {
  pending: number;
  sealed: boolean;
  failed: boolean;
  /** The resourceVersion reached once this batch is settled; undefined: none (a list that failed). */
  version: string | undefined;
  previous: Batch | undefined;
  next: Batch | undefined;
}

/**
 * The resourceVersion of one collection up to which every change has been delivered, not merely
 * read: what a successor may resume from after a graceful handover (watch from it and nothing
 * delivered is sent twice, nothing read but undelivered is lost). Read positions are opened and
 * sealed in the order the watch produced them; the version advances over a prefix of settled
 * positions only, so one undelivered event holds it back however many later ones went through.
 * A position settled behind an unsettled one is folded into its predecessor at once, so the list
 * never holds more positions than there are events in the queue, however long one event waits
 * for a redelivery. Resource versions are opaque strings (Kubernetes API concepts: "clients must
 * not assume they are numeric"), so they are never compared, only carried in read order.
 */
export class DeliveredVersion {
  #version: string | undefined;
  /** Positions not yet settled, oldest first (a doubly linked list). */
  #head: Batch | undefined;
  #tail: Batch | undefined;

  /** `initial`: the version a previous leader had delivered up to, if this collection resumes from it. */
  constructor(initial?: string) {
    this.#version = initial;
  }

  /** Every change of the collection up to this version has been delivered; undefined: none known. */
  get version(): string | undefined {
    return this.#version;
  }

  /** Read positions held, waiting on a delivery (they stay few: see the class comment). */
  get held(): number {
    let count = 0;
    for (let batch = this.#head; batch !== undefined; batch = batch.next) count++;
    return count;
  }

  /** Starts a read position; seal it once all its events are queued. */
  open(): DeliveryBatch {
    const batch: Batch = {
      pending: 0,
      sealed: false,
      failed: false,
      version: undefined,
      previous: this.#tail,
      next: undefined,
      track: () => {
        batch.pending++;
        let settled = false;
        return (done) => {
          if (settled) return;
          settled = true;
          batch.pending--;
          if (!done) batch.failed = true;
          this.#settled(batch);
        };
      },
    };
    if (this.#tail === undefined) this.#head = batch;
    else this.#tail.next = batch;
    this.#tail = batch;
    return batch;
  }

  /** All of the position's events are queued; settled, they bring the collection to `version`. */
  seal(handle: DeliveryBatch, version: string | undefined): void {
    const batch = handle as Batch;
    if (batch.sealed) return;
    batch.sealed = true;
    batch.version = version;
    this.#settled(batch);
  }

  /**
   * A position with nothing to deliver (a bookmark, a filtered or replayed event): the version
   * moves there as soon as everything before it is settled.
   */
  reached(version: string): void {
    this.seal(this.open(), version);
  }

  /** Drops a settled position: the head moves the version on, any other folds into its predecessor. */
  #settled(batch: Batch): void {
    if (!batch.sealed || batch.pending > 0 || batch.failed) return;
    const previous = batch.previous;
    if (previous === undefined) {
      this.#version = batch.version ?? this.#version;
      this.#unlink(batch);
      // The next one may have settled already (it could not fold into an unsealed predecessor).
      if (this.#head !== undefined) this.#settled(this.#head);
    } else if (previous.sealed) {
      previous.version = batch.version ?? previous.version;
      this.#unlink(batch);
    }
  }

  #unlink(batch: Batch): void {
    if (batch.previous === undefined) this.#head = batch.next;
    else batch.previous.next = batch.next;
    if (batch.next === undefined) this.#tail = batch.previous;
    else batch.next.previous = batch.previous;
    batch.previous = batch.next = undefined;
  }
}
