// Preloaded (`node --import`) into every process the playground starts. The playground holds the
// other end of this process's stdin; when the playground dies for any reason, SIGKILL included,
// the kernel closes it and stdin ends here, and this process ends too, so no adapter outlives its
// playground and doubles events on the next start.
//
// It ends at once (SIGKILL to itself) rather than shutting down gracefully: the display it
// delivers to and the emulators it reads from died with the playground, so there is nothing left
// to finish, and a graceful shutdown would log into stdout and stderr pipes nobody reads any more,
// which can block the process for good.
import { isMainThread } from 'node:worker_threads';

// Preloads run in worker threads too, whose stdin is their own (and ends at once): only the main
// thread watches the playground.
if (isMainThread) {
  const end = () => process.kill(process.pid, 'SIGKILL');
  process.stdin.once('end', end);
  process.stdin.once('error', end);
  process.stdin.resume();
  // Reading stdin must not keep a process alive that would otherwise exit.
  (process.stdin as unknown as { unref?: () => void }).unref?.();
}
