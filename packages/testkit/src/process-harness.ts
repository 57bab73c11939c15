import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { waitFor } from './wait.ts';

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface AdapterProcess {
  readonly child: ChildProcess;
  /** Every JSON log line printed on stdout, parsed. */
  readonly logs: readonly Record<string, unknown>[];
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<ProcessExit>;
  /** Polls GET /readyz on `port` until it answers 200. */
  waitForReady(port: number, timeoutMs?: number): Promise<void>;
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM (or SIGKILL after `graceMs`) and wait for exit. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

/**
 * Runs a built adapter bundle as a user would: `node dist/main.js` with only the given env
 * (plus PATH), capturing its JSON logs and exit status.
 */
export function startProcess(script: string, env: Readonly<Record<string, string>>, args: readonly string[] = []): AdapterProcess {
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let out = '';
  let err = '';
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a JSON line: kept in stdout() only.
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  return {
    child,
    logs,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForReady(port, timeoutMs = 10_000) {
      await waitFor(
        async () => {
          if (hasExited) throw new Error(`process exited before ready:\n${err}\n${out}`);
          try {
            const response = await fetch(`http://127.0.0.1:${port}/readyz`);
            return response.status === 200;
          } catch {
            return false;
          }
        },
        { timeoutMs, what: `readiness on port ${port}` },
      );
    },
    async waitForLog(match, timeoutMs = 10_000) {
      let found: Record<string, unknown> | undefined;
      await waitFor(() => (found = logs.find(match)) !== undefined, { timeoutMs, what: 'a matching log line' });
      return found as Record<string, unknown>;
    },
    signal(signal) {
      if (!hasExited) child.kill(signal);
    },
    async stop(graceMs = 10_000) {
      if (hasExited) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface AdapterEnv extends Record<string, string> {
  PORT: string;
  METRICS_PORT: string;
}

/** The env every adapter process needs in a test: sink, free ports, fast retries, debug-free logs. */
export async function adapterEnv(sinkUrl: string, extra: Readonly<Record<string, string>> = {}): Promise<AdapterEnv> {
  return {
    K_SINK: sinkUrl,
    PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    LOG_LEVEL: 'info',
    K_SINK_BACKOFF_DELAY: 'PT0.01S',
    ...extra,
  };
}
