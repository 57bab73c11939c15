import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8 settings for a process that holds thousands of schedules (the 150 MB target for 10,000).
 * Loading them allocates in bursts (file parsing, validation, croner's lookup tables); V8 answers
 * bursts by growing the young generation up to 128 MB, which it keeps, and leaves the parsing
 * garbage in the old generation until some later collection, which an idle process never needs.
 */

/** Loads smaller than this leave too little garbage to be worth a full collection. */
const COLLECT_FROM = 1_000;
type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
let collect: Collect | undefined;

/**
 * One full collection after a large load, of the kind V8 runs under memory pressure: the heap
 * shrinks to what the schedules need and the freed pages go back to the system at once. The `gc`
 * function is taken from a fresh context, so nothing else in the process sees it. It pauses the
 * process for a few tens of milliseconds, once per load.
 */
export function collectAfterLoad(sources: number): void {
  if (sources < COLLECT_FROM) return;
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
  }
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
