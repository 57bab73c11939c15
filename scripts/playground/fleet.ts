import { existsSync } from 'node:fs';
import type { AdapterSpec } from './adapters.ts';
import { Child } from './processes.ts';
import { bundleOf, choosePort } from './settings.ts';

export type AdapterStatus = 'running' | 'not-ready' | 'not-built' | 'cannot-run' | 'failed' | 'exited';

export interface AdapterState {
  readonly spec: AdapterSpec;
  status: AdapterStatus;
  /** Why it is not running (or not ready), for the banner and the page. */
  reason?: string;
  port?: number;
  child?: Child;
}

const READY_TIMEOUT_MS = 20_000;
const OPTIONAL_READY_TIMEOUT_MS = 8_000;
const LATE_READY_TIMEOUT_MS = 10 * 60_000;

/** A request an adapter refused (core logs each as `request refused` with its reason). */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly reason: string;
}

interface LogEntry {
  level?: string;
  msg?: string;
  err?: { message?: string };
  status?: number;
  code?: string;
  reason?: string;
}

function refusalOf(entry: LogEntry): Refusal | undefined {
  if (entry.msg !== 'request refused' || typeof entry.status !== 'number') return undefined;
  return { status: entry.status, code: entry.code ?? 'REFUSED', reason: entry.reason ?? '' };
}

/**
 * Prints what matters of a child's output: its warnings and errors, and every refused request
 * with its reason (also handed to `onRefused`, which shows it on the page); everything when verbose.
 */
export function childOutput(
  name: string,
  verbose: boolean,
  onRefused?: (refusal: Refusal) => void,
): (line: string) => void {
  return (line) => {
    if (line.trim() === '') return;
    let entry: LogEntry | undefined;
    try {
      entry = JSON.parse(line) as LogEntry;
    } catch {
      entry = undefined;
    }
    const refusal = entry === undefined ? undefined : refusalOf(entry);
    if (refusal !== undefined) onRefused?.(refusal);
    if (verbose) {
      console.log(`  [${name}] ${line}`);
      return;
    }
    if (refusal !== undefined) {
      console.log(`  ✗ ${name} refused a request: ${refusal.status} ${refusal.code}: ${refusal.reason}`);
      return;
    }
    if (entry === undefined) console.log(`  ! ${name}: ${line}`);
    else if (entry.level === 'warn' || entry.level === 'error' || entry.level === 'fatal')
      console.log(`  ! ${name}: ${entry.msg ?? ''}${entry.err?.message ? ` (${entry.err.message})` : ''}`);
  };
}

/**
 * The adapters of the playground: each built one started as `node packages/<x>/dist/main.js`
 * with its env and K_SINK pointing at the display; missing bundles are skipped with a reason.
 */
export class Fleet {
  readonly states: AdapterState[];
  readonly #verbose: boolean;
  #stopping = false;
  /** Told of every request an adapter refuses (set once the display is up). */
  onRefused: ((adapter: string, refusal: Refusal) => void) | undefined;

  constructor(specs: readonly AdapterSpec[], verbose: boolean) {
    this.states = specs.map((spec) => ({ spec, status: 'not-built' }));
    this.#verbose = verbose;
  }

  state(name: string): AdapterState | undefined {
    return this.states.find((s) => s.spec.name === name);
  }

  async startAll(sinkUrl: string): Promise<void> {
    await Promise.all(this.states.map((state) => this.#start(state, sinkUrl)));
  }

  async #start(state: AdapterState, sinkUrl: string): Promise<void> {
    const { spec } = state;
    const bundle = bundleOf(spec.name);
    if (!existsSync(bundle)) {
      state.status = 'not-built';
      state.reason = `packages/${spec.name}/dist/main.js is missing (npm run build)`;
      return;
    }
    if (spec.cannotRun !== undefined) {
      state.status = 'cannot-run';
      state.reason = spec.cannotRun;
      return;
    }
    const port = await choosePort(spec.preferredPort, `the ${spec.name} adapter`);
    const env = {
      ...(spec.inheritEnv ? process.env : { PATH: process.env['PATH'] ?? '' }),
      ...spec.env,
      K_SINK: sinkUrl,
      PORT: String(port),
      METRICS_PORT: String(await choosePort(0, 'metrics')),
      // Loopback only: a webhook receiver with a printed secret is for this machine, not the network.
      LISTEN_ADDRESS: '127.0.0.1',
      // info: refused requests are logged at info (bad credentials at warn); only they and the
      // warnings reach the terminal unless verbose.
      LOG_LEVEL: 'info',
    } as Record<string, string>;
    const child = new Child(spec.name, bundle, env, {
      onLine: childOutput(spec.name, this.#verbose, (refusal) => this.onRefused?.(spec.name, refusal)),
    });
    Object.assign(state, { child, port });
    void child.exited.then((exit) => {
      if (!this.#stopping && (state.status === 'running' || state.status === 'not-ready')) {
        state.status = 'exited';
        state.reason = `exited (${exit.signal ?? `code ${exit.code}`}): ${lastLine(child.tail())}`;
        console.log(`  ! ${spec.name} ${state.reason}`);
      }
    });
    const ready = await child.waitReady(
      port,
      spec.readinessOptional ? OPTIONAL_READY_TIMEOUT_MS : READY_TIMEOUT_MS,
    );
    if (ready) {
      state.status = 'running';
    } else if (child.running && spec.readinessOptional) {
      state.status = 'not-ready';
      state.reason = 'started, but not connected yet';
      // Keep watching: once it connects it is running like the others (buttons, notes).
      void child.waitReady(port, LATE_READY_TIMEOUT_MS).then((late) => {
        if (late && state.status === 'not-ready') {
          state.status = 'running';
          delete state.reason;
          console.log(`  ${spec.name} is ready now`);
        }
      });
    } else {
      state.status = 'failed';
      state.reason = `did not start: ${lastLine(child.tail())}`;
      await child.stop(2_000);
    }
  }

  /** SIGTERM to every adapter at once; each drains what it has in flight to the display. */
  async stopAll(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.states.map((state) => state.child?.stop()));
  }

  killAll(): void {
    for (const state of this.states) state.child?.kill();
  }
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const last = lines.at(-1) ?? 'no output';
  try {
    const entry = JSON.parse(last) as { msg?: string; err?: { message?: string } };
    return [entry.msg, entry.err?.message].filter(Boolean).join(': ') || last;
  } catch {
    return last.slice(0, 300);
  }
}
