import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const LOCK = join(tmpdir(), 'tributary-conformance.lock');

/**
 * A controller's container spec fixes its ports (8080, 9090, ...) and the conformance run keeps
 * them: no `PORT` is added. So only one fixture may run at a time on a machine, whichever vitest
 * process it is in. The lock is a directory holding the owner's pid; a dead owner's lock is taken over.
 */
export async function lockHostPorts(timeoutMs = 15 * 60_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!ownerAlive()) rmSync(LOCK, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`${LOCK} held by another run for ${timeoutMs} ms`);
    else await sleep(250);
  }
}

function ownerAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
  } catch {
    // Just created, pid not yet written: alive, unless that was long ago (its owner died in between).
    const created = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    return Date.now() - created < 60_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
