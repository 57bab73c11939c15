/**
 * A counting semaphore. `emit` takes a slot before sending, so a producer that awaits `emit`
 * slows down when the sink is slow instead of piling events up in memory.
 */
export class Limiter {
  readonly #max: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(max: number) {
    this.#max = max;
  }


  acquire(): Promise<void> | undefined {
    if (this.#active < this.#max) {
      this.#active++;
      return undefined;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    // The slot passes straight to the next waiter, so #active does not change.
    if (next) next();
    else this.#active--;
  }
}
