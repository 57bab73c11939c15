/**
 * Ready only when every watch has synced and is open (docs/contracts.md §1: not ready while the upstream
 * connection is down). Knative's probes only ever flip on SIGTERM.
 */
export class ReadinessTracker {
  readonly #watches = new Map<string, { up: boolean; reason: string }>();
  readonly #setReady: (ready: boolean, reason?: string) => void;
  readonly #onOpen: (open: number) => void;
  #phase = 'discovering API resources';

  constructor(
    setReady: (ready: boolean, reason?: string) => void,
    onOpen: (open: number) => void = () => {},
  ) {
    this.#setReady = setReady;
    this.#onOpen = onOpen;
    this.#publish();
  }

  /** A state that is not a watch's: discovery, or a failure before any watch exists. */
  phase(reason: string): void {
    this.#phase = reason;
    this.#publish();
  }

  add(id: string): void {
    this.#watches.set(id, { up: false, reason: 'starting' });
    this.#phase = '';
    this.#publish();
  }

  set(id: string, up: boolean, reason: string): void {
    const entry = this.#watches.get(id);
    if (entry === undefined || (entry.up === up && entry.reason === reason)) return;
    entry.up = up;
    entry.reason = reason;
    this.#publish();
  }

  remove(id: string): void {
    this.#watches.delete(id);
    this.#publish();
  }

  #publish(): void {
    let open = 0;
    let down: string | undefined;
    for (const [id, entry] of this.#watches) {
      if (entry.up) open++;
      else down ??= `${id}: ${entry.reason}`;
    }
    this.#onOpen(open);
    const reason = this.#phase !== '' ? this.#phase : down;
    if (reason === undefined && this.#watches.size > 0) this.#setReady(true);
    else this.#setReady(false, reason ?? 'no watches');
  }
}
