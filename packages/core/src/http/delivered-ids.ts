/**
 * Remembers upstream delivery ids whose events the sink accepted, so a sender's retry of a
 * delivery that already went through is acknowledged without forwarding it twice. Bounded: the
 * oldest ids are forgotten first (Map keeps insertion order).
 */
export class DeliveredIds {
  readonly #capacity: number;
  readonly #ttlMs: number;
  readonly #ids = new Map<string, number>();

  constructor(capacity = 50_000, ttlMs = 24 * 3_600_000) {
    this.#capacity = capacity;
    this.#ttlMs = ttlMs;
  }

  has(id: string, now = Date.now()): boolean {
    const at = this.#ids.get(id);
    if (at === undefined) return false;
    if (now - at <= this.#ttlMs) return true;
    this.#ids.delete(id);
    return false;
  }

  add(id: string, now = Date.now()): void {
    this.#ids.delete(id);
    this.#ids.set(id, now);
    if (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.keys().next();
      if (!oldest.done) this.#ids.delete(oldest.value);
    }
  }

}
