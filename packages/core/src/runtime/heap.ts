import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation at its initial size. Under bursts (a watch storm, loading 10,000
 * schedules) V8 grows the young generation by doubling up to two 64 MiB semi-spaces on a host with
 * plenty of memory, and keeps them: 128 MiB of RSS that an adapter's live data (tens of MiB) never
 * needs. The flag is read each time V8 considers growing, so setting it at start takes effect;
 * measured, CPU stays within noise while peak RSS drops by 70–150 MiB (BENCHMARKS.md: ping,
 * apiserver), and a webhook adapter under 90 s of steady load settles about 26 MiB lower (core README).
 * On for every adapter. `COMPACT_HEAP=false` turns it off, e.g. with `NODE_OPTIONS=--max-semi-space-size=<MiB>`.
 */
export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
