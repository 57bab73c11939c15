// Preloaded (`node --import`) into every process the playground starts. The playground holds the
// other end of this process's stdin; when the playground dies for any reason, SIGKILL included,
// the kernel closes it and stdin ends here. The process then stops as on SIGTERM (finishing what
// it was delivering), so no adapter outlives its playground and doubles events on the next start.
import { isMainThread } from 'node:worker_threads';

/** The display is gone too, so a delivery still retrying has nowhere to go: stop soon regardless. */
const STOP_WITHIN_MS = 10_000;

// Preloads run in worker threads too, whose stdin is their own (and ends at once): only the main
// thread watches the playground.
if (isMainThread) {
  const stop = () => {
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(1), STOP_WITHIN_MS).unref();
  };
  process.stdin.once('end', stop);
  process.stdin.once('error', stop);
  process.stdin.resume();
  // Reading stdin must not keep a process alive that would otherwise exit.
  (process.stdin as unknown as { unref?: () => void }).unref?.();
}
