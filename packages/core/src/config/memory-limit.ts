import { readFileSync } from 'node:fs';

const MIB = 1024 * 1024;

/**
 * The container's memory limit in bytes, from the cgroup the process runs in: v2's `memory.max`
 * (`max` when unlimited), else v1's `memory.limit_in_bytes` (a huge number when unlimited).
 * Undefined when there is none or it cannot be read.
 */
export function cgroupMemoryLimit(read: (path: string) => string = (path) => readFileSync(path, 'utf8')): number | undefined {
  for (const path of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    let text: string;
    try {
      text = read(path).trim();
    } catch {
      continue;
    }
    const bytes = Number(text);
    // cgroup v1 reports "unlimited" as the largest page-aligned signed 64-bit number.
    return text === 'max' || !Number.isSafeInteger(bytes) || bytes <= 0 ? undefined : bytes;
  }
  return undefined;
}

export interface IntakeLimits {
  /** Request body bytes the process buffers at once, across all requests (`MAX_BUFFERED_BYTES`). */
  readonly maxBufferedBytes: number;
  /** Open connections on PORT (`MAX_CONNECTIONS`). */
  readonly maxConnections: number;
}

/**
 * Defaults that follow the memory limit: a quarter of it for buffered request bodies (the rest is
 * Node itself, the heap and the sink clients; 32 MiB under the manifests' 128 Mi, room for one
 * 25 MB GitHub payload), and one connection per 128 KiB of it (1,024 under 128 Mi) — an idle
 * connection costs a few KiB, one being read up to 64 KiB of socket buffer. Without a limit:
 * 256 MiB and 4,096.
 */
export function defaultIntakeLimits(memoryLimitBytes: number | undefined): IntakeLimits {
  if (memoryLimitBytes === undefined) return { maxBufferedBytes: 256 * MIB, maxConnections: 4096 };
  return {
    maxBufferedBytes: Math.max(4 * MIB, Math.floor(memoryLimitBytes / 4)),
    maxConnections: Math.min(16_384, Math.max(64, Math.floor(memoryLimitBytes / (128 * 1024)))),
  };
}
