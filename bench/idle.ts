// What an adapter costs while nothing happens: start to ready, resident memory and CPU when idle,
// for every built adapter side by side with a bare `node:http` server (the floor any Node process
// pays). Rounds alternate the contenders; each figure is the median and range over the rounds.
// Where `taskset` exists and there are at least two cores, the measured process runs on core 1 and
// this process (and its emulators) on core 0, so the two do not steal each other's time.
// `npm run bench -- idle` (`--quick` for a short check, `--write` to update BENCHMARKS.md).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFauxqs } from 'fauxqs';
import { freePort, startKubeApiServer } from '@tributary/testkit';
import { loadLine, machineLine, markdownTable, median, medianRange, QUICK, writeSection } from './lib/report.ts';
import { ROOT } from './lib/processes.ts';

const ROUNDS = QUICK ? 1 : Number(process.env['IDLE_ROUNDS'] ?? 5);
/** Idle is measured after this settling time, over this window. */
const SETTLE_MS = QUICK ? 500 : 3_000;
const WINDOW_MS = QUICK ? 1_000 : 10_000;
const CLOCK_TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux.

const pin = existsSync('/usr/bin/taskset') && cpus().length >= 2;
if (pin) spawnSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });

const sink = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(202).end());
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
const kube = await startKubeApiServer();
const kubeconfig = join(tmpdir(), `tributary-idle-${process.pid}.kubeconfig`);
await kube.writeKubeconfig(kubeconfig);
const fauxqs = await startFauxqs({ port: 0, logger: false });
const { queueUrl } = fauxqs.createQueue('idle');

interface Contender {
  readonly name: string;
  readonly args: (port: number) => string[];
  readonly env: Record<string, string>;
}

const bundle = (name: string) => join(ROOT, 'packages', name, 'dist', 'main.js');
const adapter = (name: string, env: Record<string, string>): Contender => ({
  name,
  args: () => [bundle(name)],
  env: { K_SINK: sinkUrl, ...env },
});
const BARE =
  "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')";
const contenders: Contender[] = [
  { name: 'bare node:http', args: () => ['-e', BARE], env: {} },
  adapter('heartbeat', { POD_NAME: 'idle', POD_NAMESPACE: 'bench', HEARTBEAT_PERIOD: '1h' }),
  adapter('ping', { NAMESPACE: 'bench', NAME: 'idle', PING_SCHEDULE: '0 0 1 1 *' }),
  adapter('github', { GITHUB_SECRET_TOKEN: 'idle-secret', GITHUB_OWNER_REPO: 'octo/idle' }),
  adapter('gitlab', { GITLAB_SECRET_TOKEN: 'idle-secret', GITLAB_EVENT_SOURCE: 'https://gitlab.example.com/g/p' }),
  adapter('eventbridge', { EVENTBRIDGE_TOKEN: 'idle-secret' }),
  { ...adapter('display', {}), env: {} },
  adapter('apiserver', {
    KUBECONFIG: kubeconfig,
    NAMESPACE: 'default',
    NAME: 'idle',
    K_SOURCE_CONFIG: JSON.stringify({ namespaces: ['default'], resources: [{ apiVersion: 'v1', kind: 'Pod' }], mode: 'Reference' }),
  }),
  adapter('sqs', {
    SQS_QUEUE_URL: queueUrl,
    AWS_ENDPOINT_URL: `http://127.0.0.1:${fauxqs.port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'idle',
    AWS_SECRET_ACCESS_KEY: 'idle',
  }),
].filter((c) => c.name === 'bare node:http' || existsSync(bundle(c.name)));

interface Sample {
  readonly readyMs: number;
  readonly rssMiB: number;
  readonly cpuMsPerS: number;
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMiB(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
}

/** Polls GET /readyz every 2 ms (the bare server answers any path). */
async function waitReady(port: number, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(2);
  }
}

async function measure(contender: Contender): Promise<Sample> {
  const port = await freePort();
  const env = { PATH: process.env['PATH'] ?? '', PORT: String(port), METRICS_PORT: String(await freePort()), ...contender.env };
  const command = pin ? 'taskset' : process.execPath;
  const args = [...(pin ? ['-c', '1', process.execPath] : []), ...contender.args(port)];
  const started = performance.now();
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  try {
    await waitReady(port, child);
    const readyMs = performance.now() - started;
    await sleep(SETTLE_MS);
    const pid = child.pid as number;
    const before = cpuTicks(pid);
    const at = performance.now();
    await sleep(WINDOW_MS);
    const cpuMsPerS = (((cpuTicks(pid) - before) / CLOCK_TICKS) * 1000) / ((performance.now() - at) / 1000);
    return { readyMs, rssMiB: rssMiB(pid), cpuMsPerS };
  } catch (error) {
    throw new Error(`${contender.name}: ${(error as Error).message}\n${stderr.slice(-2000)}`, { cause: error });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
  }
}

const loadAtStart = loadLine();
const samples = new Map<string, Sample[]>(contenders.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order each round, so no contender always runs first (or last).
  const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
  for (const contender of order) samples.get(contender.name)?.push(await measure(contender));
  console.log(`round ${round + 1}/${ROUNDS} done`);
}

const bareRss = median((samples.get('bare node:http') ?? []).map((s) => s.rssMiB));
const bareReady = median((samples.get('bare node:http') ?? []).map((s) => s.readyMs));
const rows = contenders.map(({ name }) => {
  const series = samples.get(name) ?? [];
  const ready = series.map((s) => s.readyMs);
  const rss = series.map((s) => s.rssMiB);
  return [
    name,
    medianRange(ready, 0),
    name === 'bare node:http' ? '1×' : `${(median(ready) / bareReady).toFixed(1)}×`,
    medianRange(rss, 1),
    name === 'bare node:http' ? '—' : `+${(median(rss) - bareRss).toFixed(1)}`,
    medianRange(
      series.map((s) => s.cpuMsPerS),
      2,
    ),
  ];
});

const markdown = `## Idle: start to ready, memory and CPU while nothing happens

${machineLine()}; ${loadAtStart} at the start. Command: \`npm run bench -- idle\`
(${ROUNDS} rounds, contenders in rotating order; idle measured ${SETTLE_MS / 1000} s after ready, over ${WINDOW_MS / 1000} s;
${pin ? 'the measured process pinned to core 1, the bench, sink and emulators to core 0 (`taskset`)' : 'no pinning (taskset or a second core missing)'}).
Each figure is the median over the rounds with the range in brackets.

${markdownTable(
  ['process', 'start to ready, ms', 'vs bare', 'idle RSS, MiB', 'vs bare, MiB', 'idle CPU, ms/s'],
  rows,
)}

*Start to ready*: from spawn to the first \`200\` on \`/readyz\` (the bare server answers any path).
*Idle RSS*: \`VmRSS\` after the settling time. *Idle CPU*: user + system time over the window,
per second of wall time. Every adapter runs its own bundle with \`node\`, configured as in the
README, sending to a loopback sink; apiserver watches the test kit's Kubernetes API test server
and sqs long-polls a fauxqs queue (both in the bench process, on core 0).`;

writeSection('idle', markdown);
console.log(markdown);
await fauxqs.stop();
await kube.close();
sink.close();
