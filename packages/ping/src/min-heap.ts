/** A binary min-heap ordered by a numeric key read from each item. */
export class MinHeap<T> {
  readonly #key: (item: T) => number;
  #items: T[] = [];

  constructor(key: (item: T) => number) {
    this.#key = key;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let index = items.length - 1;
    const key = this.#key(item);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = items[parent] as T;
      if (this.#key(above) <= key) break;
      items[index] = above;
      index = parent;
    }
    items[index] = item;
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) this.#siftDown(0, last);
    return top;
  }

  /** Replaces the contents in O(n). */
  reset(items: readonly T[]): void {
    this.#items = [...items];
    for (let index = (this.#items.length >> 1) - 1; index >= 0; index--) this.#siftDown(index, this.#items[index] as T);
  }

  #siftDown(start: number, item: T): void {
    const items = this.#items;
    const key = this.#key(item);
    const half = items.length >> 1;
    let index = start;
    while (index < half) {
      let child = 2 * index + 1;
      const right = child + 1;
      if (right < items.length && this.#key(items[right] as T) < this.#key(items[child] as T)) child = right;
      const below = items[child] as T;
      if (this.#key(below) >= key) break;
      items[index] = below;
      index = child;
    }
    items[index] = item;
  }
}
