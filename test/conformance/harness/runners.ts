import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundlePath, startProcess, waitFor } from '@tributary/testkit';
import { commandLine, descendants, type Buildah } from '../../../deploy/image/buildah.ts';
import type { ResolvedPod } from './pod.ts';

/** A receive adapter started from a fixture's container spec. */
export interface RunningAdapter {
  /** JSON log lines printed so far. */
  logs(): readonly Record<string, unknown>[];
  /** Everything printed, for failure messages. */
  output(): string;
  /** Resolves with the exit code once the process ends. */
  readonly exited: Promise<number | null>;
  /** SIGTERM to node, as kubelet sends PID 1; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `node packages/<adapter>/dist/main.js <args>` on the host with the container's env. */
export function runBundle(adapter: string, pod: ResolvedPod): RunningAdapter {
  const child = startProcess(bundlePath(adapter), { ...pod.env, ...pod.bundleEnv }, pod.args);
  const exited = child.exited.then((exit) => exit.code);
  return {
    logs: () => child.logs,
    output: () => `${child.stdout()}${child.stderr()}`,
    exited,
    stop: async () => (await child.stop(30_000)).code,
  };
}

/**
 * The image's entrypoint (`node /app/main.js`) with the container's args, as uid 65532 with a
 * read-only /tmp, the pod's volumes mounted read-only at their paths, on the host network.
 */
export function runImage(buildah: Buildah, image: string, pod: ResolvedPod): RunningAdapter {
  const container = buildah.run(['from', '--quiet', image]);
  const empty = join(buildah.dir, 'empty');
  mkdirSync(empty, { recursive: true });
  const child = buildah.spawn([
    'run',
    '--isolation',
    'chroot',
    '--network',
    'host',
    '--user',
    '65532:65532',
    '--volume',
    `${empty}:/tmp:ro`,
    ...pod.mounts.flatMap(({ hostDir, mountPath }) => ['--volume', `${hostDir}:${mountPath}:ro`]),
    ...Object.entries(pod.env).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
    container,
    '--',
    'node',
    '/app/main.js',
    ...pod.args,
  ]);
  const lines = collect(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    logs: () => lines.logs,
    output: () => lines.text,
    exited,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      // buildah run does not forward signals: signal node itself, as the kubelet signals PID 1.
      let node: number | undefined;
      await waitFor(
        () =>
          (node = descendants(child.pid as number).find((pid) =>
            /^\S*\/node \/app\/main\.js/.test(commandLine(pid)),
          )) !== undefined,
        { timeoutMs: 30_000, what: 'the node process inside the container' },
      );
      process.kill(node as number, 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function collect(child: ChildProcess): { logs: Record<string, unknown>[]; text: string } {
  const state = { logs: [] as Record<string, unknown>[], text: '' };
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    state.text += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        state.logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (state.text += chunk));
  return state;
}
