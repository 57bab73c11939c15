// The real Dockerfile, built with buildah (offline: base image assembled from node_modules' Node
// binary) for two adapters, then run as uid 65532 with nothing writable against the testkit's
// recording sink on loopback: events must arrive, and SIGTERM to node must end it cleanly (exit 0).
// Needs root and buildah; without them this FAILS with the install command, it does not skip.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterEnv, startRecordingSink, waitFor, type RecordingSink } from '@tributary/testkit';
import {
  Buildah,
  buildAdapterImage,
  buildahProblem,
  commandLine,
  descendants,
  ensureBaseImage,
  imageConfig,
} from '../../deploy/image/buildah.ts';

/** The adapters built and run, with the env that makes each send promptly. */
const ADAPTERS: Record<string, Record<string, string>> = {
  heartbeat: {
    POD_NAME: 'image-test',
    POD_NAMESPACE: 'ci',
    HEARTBEAT_PERIOD: '1s',
    HEARTBEAT_LABEL: 'image',
  },
  ping: { NAMESPACE: 'ci', NAME: 'image-test', PING_SCHEDULE: '* * * * * *', PING_DATA: 'tick' },
};

let buildah: Buildah;
const images = new Map<string, string>();
// Recorded, not thrown in beforeAll, so that every test below fails with it (vitest would
// report a throwing beforeAll's tests as skipped).
const problem = buildahProblem();

beforeAll(() => {
  if (problem !== undefined) return;
  const base = ensureBaseImage();
  buildah = new Buildah();
  for (const adapter of Object.keys(ADAPTERS)) images.set(adapter, buildAdapterImage(buildah, adapter, base));
});

/** The built image, or the reason there is none (as the test's failure). */
function imageOf(adapter: string): string {
  if (problem !== undefined) throw new Error(problem);
  return images.get(adapter) as string;
}

afterAll(() => buildah?.remove());

/** Runs `args` in a container of `image` as 65532, with /tmp and the home directory read-only too. */
function runInImage(
  image: string,
  env: Record<string, string>,
  command: string[],
): { child: ChildProcess; output: () => string } {
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
    '--volume',
    `${empty}:/home/nonroot:ro`,
    ...Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
    container,
    '--',
    ...command,
  ]);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe.each(Object.keys(ADAPTERS))('%s image', (adapter) => {
  it('runs node as 65532 from an image without shell or package manager, nothing writable', async () => {
    const image = imageOf(adapter);
    const config = imageConfig(buildah, image);
    expect(config.User).toBe('65532:65532');
    expect(config.Entrypoint).toEqual(['node', '/app/main.js']);
    expect(config.Env).toContain('PATH=/nodejs/bin:/usr/local/bin:/usr/bin:/bin');
    const probe = `const fs = require('node:fs'); const w = (d) => { try { fs.writeFileSync(d + '/probe', 'x'); return 'writable'; } catch (e) { return e.code; } };
      console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), version: process.version,
        shell: ['/bin/sh', '/bin/bash', '/usr/bin/sh'].some((p) => fs.existsSync(p)),
        npm: ['/usr/bin/npm', '/usr/local/bin/npm', '/nodejs/bin/npm'].some((p) => fs.existsSync(p)),
        app: fs.readdirSync('/app'), writable: ['/', '/app', '/tmp', '/home/nonroot', '/etc'].map(w) }));`;
    const run = runInImage(image, {}, ['node', '-e', probe]);
    expect(await exitOf(run.child), run.output()).toBe(0);
    const facts = JSON.parse(run.output().trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    expect(facts).toMatchObject({ uid: 65532, gid: 65532, shell: false, npm: false });
    expect(String(facts['version'])).toMatch(/^v24\./);
    expect(facts['app']).toContain('main.js');
    expect(facts['writable']).not.toContain('writable');
  });

  describe('against the recording sink on 127.0.0.1', () => {
    let sink: RecordingSink;
    let running: { child: ChildProcess; output: () => string } | undefined;
    beforeAll(async () => {
      sink = await startRecordingSink();
    });
    afterAll(async () => {
      if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
      await sink.close();
    });

    it('delivers events, and exits 0 when node gets SIGTERM', async () => {
      const image = imageOf(adapter);
      const env = await adapterEnv(sink.url, { ...ADAPTERS[adapter], SHUTDOWN_GRACE_PERIOD: '5s' });
      running = runInImage(image, env, ['node', '/app/main.js']);
      const { child, output } = running;
      const events = await sink.waitForEvents(2, 30_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${output()}`);
      });
      expect(events[0]?.attributes['type']).toBe(
        adapter === 'heartbeat' ? 'dev.knative.eventing.samples.heartbeat' : 'dev.knative.sources.ping',
      );
      if (adapter === 'heartbeat') expect(events[0]?.json()).toMatchObject({ id: 1, label: 'image' });
      else expect(events[0]?.attributes['source']).toBe('/apis/v1/namespaces/ci/pingsources/image-test');
      // buildah run does not forward signals: signal node itself (not buildah-chroot-exec, its
      // parent, whose command line ends the same way), as the kubelet signals PID 1.
      let node: number | undefined;
      await waitFor(
        () =>
          (node = descendants(child.pid as number).find((pid) =>
            /^\S*\/node \/app\/main\.js$/.test(commandLine(pid)),
          )) !== undefined,
        {
          timeoutMs: 10_000,
          what: 'the node process inside the container',
        },
      );
      process.kill(node as number, 'SIGTERM');
      expect(await exitOf(child), output()).toBe(0);
      expect(output()).not.toMatch(/"level":"(error|fatal)"/);
    });
  });
});
