/**
 * The request bytes the whole process may hold at once (`MAX_BUFFERED_BYTES`), shared by every
 * request. A request takes from it before it buffers and gives back when its answer is sent, so
 * concurrent uploads cannot add up past the container's memory: the one that would pass the budget
 * is answered 503 with Retry-After instead of being read.
 */
export class BufferBudget {
  readonly capacity: number;
  #used = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get used(): number {
    return this.#used;
  }

  /** A holding for one request: grows as its body is read, released once. */
  hold(): BufferHold {
    let held = 0;
    let released = false;
    return {
      grow: (bytes) => {
        if (released || this.#used + bytes > this.capacity) return false;
        this.#used += bytes;
        held += bytes;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.#used -= held;
        held = 0;
      },
    };
  }
}

export interface BufferHold {
  /** Takes `bytes` more from the budget; false (nothing taken) when that would pass it. */
  grow(bytes: number): boolean;
  release(): void;
}
