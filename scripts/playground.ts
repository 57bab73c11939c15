// `npm start`: the event display and, pointed at it, every adapter that is built (heartbeat,
// ping, the GitHub, GitLab and EventBridge receivers, SQS against an embedded emulator, and the
// APIServer adapter, on KUBECONFIG's cluster or else the built-in Kubernetes API test server). The page's buttons send real samples
// through the real adapters. Ctrl-C stops everything. Options (env):
//   PLAYGROUND_PORT=8080   the display's port; receivers on the next three, SQS on the fourth;
//                          0 = free ports for all (a taken port moves to a free one, said in the terminal)
//   PLAYGROUND_VERBOSE=1   print every log line of every process
//   KUBECONFIG, PLAYGROUND_NAMESPACE=default   the cluster and namespace the APIServer adapter watches
//                          (unset KUBECONFIG: a built-in Kubernetes API test server on loopback)
import { randomBytes } from 'node:crypto';
import { adapterSpecs } from './playground/adapters.ts';
import { banner } from './playground/banner.ts';
import { ensureBuilt } from './playground/build.ts';
import { startControl, type ControlServer } from './playground/control.ts';
import { playgroundControlState, playgroundSamples } from './playground/control-state.ts';
import { childOutput, Fleet } from './playground/fleet.ts';
import { Child } from './playground/processes.ts';
import { bundleOf, choosePort, readSettings } from './playground/settings.ts';
import { startEmbeddedKube, type EmbeddedKube } from './playground/kube.ts';
import { startEmbeddedSqs, type EmbeddedSqs } from './playground/sqs.ts';

const settings = readSettings();
const parts: { display?: Child; fleet?: Fleet; control?: ControlServer; sqs?: EmbeddedSqs; kube?: EmbeddedKube } = {};
let stopping = false;

/** Adapters first (they finish delivering to the display), then the display, then the rest. */
async function shutdown(code: number): Promise<never> {
  if (stopping) {
    parts.fleet?.killAll();
    parts.display?.kill();
    process.exit(code === 0 ? 130 : code);
  }
  stopping = true;
  console.log('\nStopping the adapters, then the display…');
  await parts.fleet?.stopAll();
  await parts.display?.stop();
  await parts.control?.close();
  await parts.sqs?.stop();
  await parts.kube?.stop();
  console.log('Stopped.');
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
// Last resort if the playground itself dies: its children are in their own process groups.
process.on('exit', () => {
  parts.fleet?.killAll();
  parts.display?.kill();
});

/**
 * Event lines of the display go to the terminal as they are (held back until the banner is out),
 * its JSON logs only when they matter.
 */
let heldLines: string[] | undefined = [];
function displayOutput(): (line: string) => void {
  const logs = childOutput('display', settings.verbose);
  return (line) => {
    // The display prints a "✗ refused" line for each refusal; its JSON log of the same is noise here.
    if (line.startsWith('{')) {
      if (!line.includes('"msg":"request refused"') || settings.verbose) logs(line);
    } else if (line.trim() === '') return;
    else if (heldLines !== undefined) heldLines.push(line);
    else console.log(`  ${line}`);
  };
}

async function main(): Promise<void> {
  await ensureBuilt();
  const secret = () => randomBytes(16).toString('hex');
  const secrets = { github: secret(), gitlab: secret(), eventbridge: secret() };
  try {
    parts.sqs = await startEmbeddedSqs(await choosePort(settings.portBase === 0 ? 0 : settings.portBase + 4, 'the SQS emulator'));
  } catch (error) {
    console.log(`  ! the SQS emulator did not start: ${(error as Error).message}`);
  }
  if (settings.kubeconfig === undefined && settings.kubeconfigProblem === undefined) {
    try {
      parts.kube = await startEmbeddedKube(settings.kubeNamespace);
    } catch (error) {
      console.log(`  ! the built-in Kubernetes API test server did not start: ${(error as Error).message}`);
    }
  }
  const specs = adapterSpecs(settings, secrets, parts.sqs, parts.kube?.kubeconfig);
  const fleet = (parts.fleet = new Fleet(specs, settings.verbose));
  const state = playgroundControlState(fleet, playgroundSamples(fleet, secrets, parts.sqs, parts.kube));
  parts.control = await startControl(() => state);

  const port = await choosePort(settings.portBase, 'the event display');
  const display = (parts.display = new Child(
    'display',
    bundleOf('display'),
    {
      PATH: process.env['PATH'] ?? '',
      PORT: String(port),
      METRICS_PORT: String(await choosePort(0, 'metrics')),
      LISTEN_ADDRESS: '127.0.0.1',
      LOG_FORMAT: 'text',
      LOG_LEVEL: settings.verbose ? 'info' : 'warn',
      DISPLAY_ACTIONS_URL: parts.control.url,
    },
    { onLine: displayOutput() },
  ));
  if (!(await display.waitReady(port, 20_000)))
    throw new Error(`the display did not start:\n${display.tail()}`);
  void display.exited.then((exit) => {
    if (stopping) return;
    console.error(`\nThe display stopped (${exit.signal ?? `code ${exit.code}`}):\n${display.tail()}`);
    void shutdown(1);
  });

  // Refused webhooks show on the page beside the events, with the reason the adapter gave.
  fleet.onRefused = (adapter, refusal) =>
    void fetch(`http://127.0.0.1:${port}/api/refused`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: adapter, ...refusal }),
    }).catch(() => undefined);
  await fleet.startAll(`http://127.0.0.1:${port}/`);
  console.log(
    banner({
      displayUrl: `http://${settings.host}:${port}/`,
      host: settings.host,
      adapters: fleet.states,
      sqs: parts.sqs,
    }),
  );
  for (const line of heldLines ?? []) console.log(`  ${line}`);
  heldLines = undefined;
}

main().catch((error: unknown) => {
  console.error(
    `\nThe playground could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  void shutdown(1);
});
