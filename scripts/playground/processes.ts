import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ChildOptions {
  /** Called with every output line (stdout and stderr). */
  readonly onLine?: (line: string) => void;
}

const TAIL_LINES = 40;
/** Stops a child when the playground's end of its stdin closes (see the file). */
const EXIT_WITH_PARENT = fileURLToPath(new URL('./exit-with-parent.ts', import.meta.url));

/** One bundle run as `node dist/main.js` with its own env, its output kept for diagnosis. */
export class Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly exited: Promise<ExitStatus>;
  readonly #tail: string[] = [];
  #running = true;

  constructor(
    name: string,
    script: string,
    env: Readonly<Record<string, string>>,
    options: ChildOptions = {},
  ) {
    this.name = name;
    // Its own process group: Ctrl-C reaches only the playground, which stops the adapters before
    // the display so nothing in flight is lost on the way out. Its stdin is a pipe from the
    // playground: if the playground is killed, the pipe closes and the child stops itself.
    this.process = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, script], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    for (const stream of [this.process.stdout, this.process.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          this.#tail.push(line);
          if (this.#tail.length > TAIL_LINES) this.#tail.shift();
          options.onLine?.(line);
        }
      });
    }
    this.exited = new Promise((resolve) => {
      this.process.once('error', (error) => {
        this.#tail.push(String(error));
        resolve({ code: null, signal: null });
      });
      this.process.once('exit', (code, signal) => resolve({ code, signal }));
    });
    void this.exited.then(() => (this.#running = false));
  }

  get running(): boolean {
    return this.#running;
  }

  /** The last lines the process printed. */
  tail(): string {
    return this.#tail.join('\n');
  }

  /** Polls `GET /readyz` until 200; false when the process exits or time runs out first. */
  async waitReady(port: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#running && Date.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`, {
          signal: AbortSignal.timeout(1_000),
        });
        if (response.status === 200) return true;
      } catch {
        // Not listening yet.
      }
      await sleep(100);
    }
    return false;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 10_000): Promise<ExitStatus> {
    if (this.#running) this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.#running) this.process.kill('SIGKILL');
  }
}
