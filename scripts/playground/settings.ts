import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (scripts/playground/ is two levels down). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface PlaygroundSettings {
  /**
   * First of the fixed ports: the display on it, then GitHub, GitLab, EventBridge and the SQS
   * emulator on the next four. 0 picks free ports for everything (tests, parallel runs).
   */
  readonly portBase: number;
  /** Host name printed in URLs. */
  readonly host: string;
  /**
   * KUBECONFIG when it names at least one existing file: the APIServer adapter watches that
   * cluster. Unset: it watches the playground's built-in Kubernetes API test server.
   */
  readonly kubeconfig: string | undefined;
  /** KUBECONFIG is set but names no existing file. */
  readonly kubeconfigProblem: string | undefined;
  readonly kubeNamespace: string;
  /** Print every log line of every process, not just events, warnings and errors. */
  readonly verbose: boolean;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): PlaygroundSettings {
  const portBase = Number(env['PLAYGROUND_PORT'] ?? 8080);
  if (!Number.isInteger(portBase) || portBase < 0 || portBase > 65_530) {
    throw new Error(
      `PLAYGROUND_PORT must be a port number (0 for free ports), got ${JSON.stringify(env['PLAYGROUND_PORT'])}`,
    );
  }
  const kubeconfig = env['KUBECONFIG'] === '' ? undefined : env['KUBECONFIG'];
  const files = kubeconfig?.split(delimiter).filter((file) => file !== '') ?? [];
  const kubeconfigProblem =
    kubeconfig === undefined || files.some((file) => existsSync(file))
      ? undefined
      : `KUBECONFIG names no existing file (${kubeconfig})`;
  return {
    portBase,
    host: env['PLAYGROUND_HOST'] ?? 'localhost',
    kubeconfig: kubeconfigProblem === undefined ? kubeconfig : undefined,
    kubeconfigProblem,
    kubeNamespace: env['PLAYGROUND_NAMESPACE'] ?? 'default',
    verbose: ['1', 'true', 'yes'].includes((env['PLAYGROUND_VERBOSE'] ?? '').toLowerCase()),
  };
}

/** Where an adapter's bundle lives; `npm run build` writes it. */
export function bundleOf(adapter: string): string {
  return join(ROOT, 'packages', adapter, 'dist', 'main.js');
}

/**
 * The preferred port when it is free, else any free port, said out loud (a busy 8080 does not stop
 * the playground, but the visitor must know where the page went). The port is released before
 * returning; the process that needs it binds it next. `what` names the user of the port.
 */
export async function choosePort(preferred: number, what: string): Promise<number> {
  if (preferred !== 0) {
    const port = await tryListen(preferred);
    if (port !== undefined) return port;
  }
  const port = (await tryListen(0)) as number;
  if (preferred !== 0) console.log(`  ! port ${preferred} is taken, so ${what} listens on ${port} instead`);
  return port;
}

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}
