import { MinHeap } from './min-heap.ts';

/** What the scheduler needs from a job: an identity, a change detector and its fire instants. */
export interface ScheduledJob {
  readonly key: string;
  /** Jobs with the same key and fingerprint are the same job: a reload keeps its place. */
  readonly fingerprint: string;
  readonly schedule: { next(afterMs: number): number | undefined };
}

export interface SchedulerOptions<J> {
  /** Called once per fire with the scheduled instant. Runs on the timer: start async work, do not await it. */
  readonly onTick: (job: J, scheduledMs: number) => void;
  /** Fires that passed while the process could not run (a stalled event loop, a clock step). */
  readonly onSkipped?: (job: J, count: number) => void;
  readonly onError?: (job: J, error: unknown) => void;
  readonly now?: () => number;
}

export interface ReplaceResult {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly unchanged: number;
}

interface Entry<J> {
  readonly job: J;
  /** Next fire instant (epoch ms); Infinity when not in the heap (stopped, or no fire left). */
  due: number;
  alive: boolean;
}

/** Re-read the wall clock at least this often, so a clock step or a suspend is noticed. */
const MAX_TIMER_MS = 30_000;

/**
 * Runs any number of cron jobs on one timer: a min-heap of next fire instants, armed for the
 * earliest. On each wake every due job fires first, and only then are next instants computed, so
 * the last of 1,000 simultaneous ticks is not delayed by 999 cron computations. Like robfig/cron
 * (Knative), a job that is late fires once and its next instant is computed from now: missed
 * fires are reported, not replayed. `start` and `stop` can be called any number of times (a
 * leader-election wrapper starts it on lease acquisition and stops it on loss).
 */
export class CronScheduler<J extends ScheduledJob> {
  readonly #options: SchedulerOptions<J>;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry<J>>();
  readonly #heap = new MinHeap<Entry<J>>((entry) => entry.due);
  #dead = 0;
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(options: SchedulerOptions<J>) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get running(): boolean {
    return this.#running;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The next fire instant of a job while running. */
  nextFire(key: string): number | undefined {
    const due = this.#entries.get(key)?.due;
    return due !== undefined && Number.isFinite(due) ? due : undefined;
  }

  /** Makes `jobs` the whole set; unchanged jobs keep their next fire instant. */
  replace(jobs: Iterable<J>): ReplaceResult {
    const incoming = new Map<string, J>();
    for (const job of jobs) incoming.set(job.key, job);
    let changed = 0;
    let removed = 0;
    let unchanged = 0;
    for (const [key, entry] of this.#entries) {
      const job = incoming.get(key);
      if (job !== undefined && job.fingerprint === entry.job.fingerprint) {
        unchanged++;
        incoming.delete(key);
        continue;
      }
      if (job === undefined) removed++;
      else changed++;
      this.#retire(entry);
      this.#entries.delete(key);
    }
    const now = this.#now();
    for (const job of incoming.values()) this.#add(job, now);
    if (this.#running) {
      this.#compact();
      this.#arm();
    }
    return { added: incoming.size - changed, changed, removed, unchanged };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const now = this.#now();
    for (const entry of this.#entries.values()) entry.due = entry.job.schedule.next(now) ?? Infinity;
    this.#rebuild();
    this.#arm();
  }

  /** Every job, for a new leader's catch-up of ticks missed across a handover. */
  jobs(): IterableIterator<J> {
    return [...this.#entries.values()].filter((entry) => entry.alive).map((entry) => entry.job).values();
  }

  /**
   * Fires every job due at or before `now`, then stops: afterwards every tick scheduled up to `now`
   * has fired and none after it will. `now` is the watermark a graceful leader hands over.
   */
  stopAt(now: number): number {
    if (this.#running) {
      for (let top = this.#heap.peek(); top !== undefined && top.due <= now; top = this.#heap.peek()) {
        this.#heap.pop();
        if (top.alive) this.#fire(top);
        else this.#dead--;
      }
    }
    this.stop();
    return now;
  }

  /** No fire happens after this returns. */
  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const entry of this.#entries.values()) entry.due = Infinity;
    this.#heap.reset([]);
    this.#dead = 0;
  }

  #add(job: J, now: number): void {
    const entry: Entry<J> = { job, due: Infinity, alive: true };
    this.#entries.set(job.key, entry);
    if (!this.#running) return;
    entry.due = job.schedule.next(now) ?? Infinity;
    if (Number.isFinite(entry.due)) this.#heap.push(entry);
  }

  #retire(entry: Entry<J>): void {
    entry.alive = false;
    if (Number.isFinite(entry.due)) this.#dead++;
  }

  readonly #wake = (): void => {
    this.#timer = undefined;
    if (!this.#running) return;
    const now = this.#now();
    const fired: Entry<J>[] = [];
    for (let top = this.#heap.peek(); top !== undefined && top.due <= now; top = this.#heap.peek()) {
      this.#heap.pop();
      if (!top.alive) {
        this.#dead--;
        continue;
      }
      fired.push(top);
      this.#fire(top);
    }
    if (!this.#running) return;
    for (const entry of fired) this.#advance(entry, now);
    this.#compact();
    this.#arm();
  };

  #fire(entry: Entry<J>): void {
    try {
      this.#options.onTick(entry.job, entry.due);
    } catch (error) {
      this.#options.onError?.(entry.job, error);
    }
  }

  #advance(entry: Entry<J>, now: number): void {
    const { schedule } = entry.job;
    // Cron fields have whole-second resolution: a fire can only have been missed a second late.
    if (now - entry.due >= 1000 && this.#options.onSkipped) {
      let count = 0;
      for (let at = schedule.next(entry.due); at !== undefined && at <= now && count < 10_000; at = schedule.next(at)) count++;
      if (count > 0) this.#options.onSkipped(entry.job, count);
    }
    entry.due = schedule.next(Math.max(entry.due, now)) ?? Infinity;
    if (Number.isFinite(entry.due)) this.#heap.push(entry);
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    let top = this.#heap.peek();
    while (top !== undefined && !top.alive) {
      this.#heap.pop();
      this.#dead--;
      top = this.#heap.peek();
    }
    if (top === undefined) return;
    const delay = Math.min(Math.max(0, top.due - this.#now()), MAX_TIMER_MS);
    this.#timer = setTimeout(this.#wake, delay);
  }

  /** Retired entries wait in the heap until their instant; rebuild when they outnumber live ones. */
  #compact(): void {
    if (this.#dead > 1024 && this.#dead > this.#heap.size / 2) this.#rebuild();
  }

  #rebuild(): void {
    this.#heap.reset([...this.#entries.values()].filter((entry) => Number.isFinite(entry.due)));
    this.#dead = 0;
  }
}
