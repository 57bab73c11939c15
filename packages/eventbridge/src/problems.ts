import { HttpError } from '@tributary/core';

/** One thing wrong with a request: the attribute (or field path) at fault and why. */
export interface Problem {
  /** Position of the event in a batch or `{"events":[...]}` body; absent for a single event. */
  readonly event?: number;
  readonly attribute: string;
  readonly message: string;
}

/**
 * Collects every problem of a request instead of stopping at the first, so a sender fixing its
 * payload sees the whole list in one 400 answer.
 */
export class Problems {
  readonly #list: Problem[];
  readonly #event: number | undefined;

  constructor(list: Problem[] = [], event?: number) {
    this.#list = list;
    this.#event = event;
  }

  /** A view that tags what it collects with the event's position in a batch. */
  at(event: number): Problems {
    return new Problems(this.#list, event);
  }

  add(attribute: string, message: string): void {
    this.#list.push(
      this.#event === undefined ? { attribute, message } : { event: this.#event, attribute, message },
    );
  }

  get count(): number {
    return this.#list.length;
  }

  /** Throws the 400 that lists every problem, if there is any. */
  throwIfAny(): void {
    if (this.#list.length === 0) return;
    const first = this.#list[0] as Problem;
    const more = this.#list.length > 1 ? ` (and ${this.#list.length - 1} more)` : '';
    throw new HttpError(400, 'INVALID_EVENT', `${first.attribute}: ${first.message}${more}`, {
      problems: [...this.#list],
    });
  }
}
