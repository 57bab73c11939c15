import type { LeaderTerm } from '@tributary/core';
import type { CronScheduler } from './scheduler.ts';
import type { PingSource } from './source.ts';

/**
 * Ticks across a leader handover (leader election, issue: a tick is emitted once, not zero times,
 * not twice). The outgoing leader fires everything due up to the moment it stops and hands that
 * instant over in the Lease; the incoming leader replays each source's ticks after it, up to now,
 * each with its scheduled `time`. After a crash there is no note: nothing is replayed, so a tick is
 * never sent twice, and at most the ticks of one lease duration are missed.
 */
interface HandoverNote {
  /** Every tick scheduled at or before this instant (RFC 3339) was fired by the previous leader. */
  readonly ticksFiredThrough: string;
}

/** A stale note (the previous leader left long ago) is not replayed: it would be a flood, not a handover. */
const MAX_REPLAY_MS = 10 * 60_000;
const MAX_REPLAY_TICKS_PER_SOURCE = 600;

export function handoverWatermark(term: LeaderTerm | undefined, now: number): number | undefined {
  if (term === undefined || !term.previous.graceful || term.previous.note === undefined) return undefined;
  try {
    const note = JSON.parse(term.previous.note) as Partial<HandoverNote>;
    const at = Date.parse(note.ticksFiredThrough ?? '');
    return Number.isFinite(at) && now - at <= MAX_REPLAY_MS && at <= now ? at : undefined;
  } catch {
    return undefined;
  }
}

/** Fires, through `tick`, every tick after `watermark` up to `now`; returns how many. */
export function replayMissedTicks(
  scheduler: CronScheduler<PingSource>,
  watermark: number,
  now: number,
  tick: (source: PingSource, scheduledMs: number) => void,
): number {
  let replayed = 0;
  for (const source of scheduler.jobs()) {
    let count = 0;
    for (let at = source.schedule.next(watermark); at !== undefined && at <= now && count < MAX_REPLAY_TICKS_PER_SOURCE; at = source.schedule.next(at)) {
      tick(source, at);
      count++;
    }
    replayed += count;
  }
  return replayed;
}

export function handoverNote(watermark: number): string {
  const note: HandoverNote = { ticksFiredThrough: new Date(watermark).toISOString() };
  return JSON.stringify(note);
}
