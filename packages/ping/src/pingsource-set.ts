import type { Logger } from '@tributary/core';
import { collectAfterLoad } from './heap.ts';
import type { PingMetrics } from './metrics.ts';
import { fromPingSourceObject, type PingSourceObject } from './pingsource-object.ts';
import type { ScheduleCache } from './schedule.ts';
import type { CronScheduler } from './scheduler.ts';
import type { PingSource } from './source.ts';

export interface PingSourceSetOptions {
  readonly scheduler: CronScheduler<PingSource>;
  readonly metrics: PingMetrics;
  readonly logger: Logger;
}

/**
 * The PingSources served, kept up to date from watch events and applied to the scheduler in
 * batches (one `replace` per turn of the event loop, so a list of 10,000 objects is one reload).
 * As mt-ping's reconciler: a source is served once Ready, keeps its last Ready definition while it
 * is not Ready, and stops when deleted. A source whose spec cannot be served (a bad schedule) is
 * logged and not run; the others keep ticking.
 */
export class PingSourceSet {
  readonly #options: PingSourceSetOptions;
  readonly #served = new Map<string, PingSource>();
  readonly #rejected = new Set<string>();
  readonly #waiting = new Set<string>();
  #cache: ScheduleCache = new Map();
  #pending: NodeJS.Immediate | undefined;
  #quiet = true;

  constructor(options: PingSourceSetOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#served.size;
  }

  upsert(object: PingSourceObject): void {
    const key = keyOf(object);
    const result = fromPingSourceObject(object, this.#cache);
    if (result.kind === 'serve') {
      this.#rejected.delete(key);
      this.#waiting.delete(key);
      this.#served.set(key, result.source);
    } else if (result.kind === 'not-ready') {
      // mt-ping's ReconcileKind skips a source that is not Ready and leaves its schedule as it was.
      if (!this.#served.has(key)) this.#waiting.add(key);
    } else {
      this.#rejected.add(key);
      this.#waiting.delete(key);
      this.#served.delete(key);
      this.#options.logger.error(
        {
          pingsource: identityOf(object),
          resourceVersion: object.metadata?.resourceVersion,
          problems: result.problems,
          reason: result.problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
        },
        'ping source rejected',
      );
    }
    this.#schedule();
  }

  remove(object: PingSourceObject): void {
    const key = keyOf(object);
    this.#rejected.delete(key);
    this.#waiting.delete(key);
    const source = this.#served.get(key);
    if (source !== undefined) this.#options.metrics.failed.remove({ namespace: source.namespace, name: source.name });
    this.#served.delete(key);
    this.#schedule();
  }

  /** Applies what changed so far now (the first list, before the scheduler starts). */
  flush(): void {
    if (this.#pending === undefined) return;
    clearImmediate(this.#pending);
    this.#apply();
  }

  close(): void {
    clearImmediate(this.#pending);
    this.#pending = undefined;
  }

  #schedule(): void {
    this.#pending ??= setImmediate(() => this.#apply());
  }

  #apply(): void {
    this.#pending = undefined;
    const { scheduler, metrics, logger } = this.#options;
    const result = scheduler.replace(this.#served.values());
    metrics.sources.set(this.#served.size);
    metrics.rejected.set(this.#rejected.size);
    metrics.reloads.inc({ outcome: 'applied' });
    // Equal schedules share one evaluator only through the cache; let go of ones no source uses.
    if (this.#cache.size > 2 * this.#served.size + 1000) this.#cache = new Map();
    const counts = { served: this.#served.size, rejected: this.#rejected.size, notReady: this.#waiting.size };
    const changes = result.added + result.changed + result.removed;
    // One line per batch: at startup the whole list, later each change.
    if (changes > 0 || this.#quiet) logger.info({ ...counts, ...result }, 'ping sources applied');
    this.#quiet = false;
    collectAfterLoad(changes);
  }
}

function keyOf(object: PingSourceObject): string {
  const { namespace, name } = identityOf(object);
  return `${namespace}/${name}`;
}

function identityOf(object: PingSourceObject): { namespace: string; name: string } {
  return { namespace: String(object.metadata?.namespace ?? ''), name: String(object.metadata?.name ?? '') };
}
