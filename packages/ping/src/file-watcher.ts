import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface FileWatchOptions {
  /** Poll period: the fallback when directory events are missed (some volume types emit none). */
  readonly intervalMs: number;
  /** Hash of the content already applied, so an unchanged file is not applied twice. */
  readonly initialHash?: string | undefined;
  readonly onChange: (text: string) => void;
  readonly onError: (error: NodeJS.ErrnoException) => void;
}

export interface FileWatch {
  close(): void;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Follows a file that Kubernetes may replace at any time. A ConfigMap volume updates by swapping
 * the `..data` symlink in the file's directory, so events on the file itself stop after the first
 * update: watch the directory, and also poll (stat through the symlinks; read and hash only when
 * inode, size or times changed). `onChange` sees each distinct content once.
 */
export function watchFile(path: string, options: FileWatchOptions): FileWatch {
  let lastSignature = '';
  let lastHash = options.initialHash ?? '';
  let lastErrorCode = '';
  let running = false;
  let again = false;
  let closed = false;

  const check = async (force: boolean): Promise<void> => {
    if (running) {
      again ||= force;
      return;
    }
    running = true;
    try {
      const info = await stat(path);
      const signature = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
      if (!force && signature === lastSignature) return;
      lastSignature = signature;
      const text = await readFile(path, 'utf8');
      lastErrorCode = '';
      const hash = contentHash(text);
      if (hash === lastHash || closed) return;
      lastHash = hash;
      options.onChange(text);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
      // Report a missing or unreadable file once, not on every poll.
      if (code !== lastErrorCode) options.onError(error as NodeJS.ErrnoException);
      lastErrorCode = code;
      lastSignature = '';
    } finally {
      running = false;
      if (again && !closed) {
        again = false;
        void check(true);
      }
    }
  };

  let debounce: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => void check(true), 50);
    });
    // A watch that breaks (directory removed, inotify limits) leaves polling in charge.
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  const poll = setInterval(() => void check(false), options.intervalMs);
  void check(false);

  return {
    close() {
      closed = true;
      clearInterval(poll);
      clearTimeout(debounce);
      watcher?.close();
    },
  };
}
