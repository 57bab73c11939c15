// Soak: the GitHub and GitLab bundles for N minutes (default 10; `SOAK_MINUTES=1`) under mixed valid
// and hostile webhook traffic plus sink faults (testkit `runSoak`), reporting RSS, open fds and
// latency over time and lost / duplicated deliveries. `npm run bench -- soak`; needs `npm run build`.
import { loadavg } from 'node:os';
import { runSoak, type SoakAdapterResult, type SoakSample } from '@tributary/testkit';
import { machineLine, markdownTable, writeSection } from './lib/report.ts';

const minutes = Number(process.env['SOAK_MINUTES'] ?? 10);
const loadAtStart = loadavg()[0] ?? 0;
console.log(`soak: ${minutes} min, github + gitlab bundles, sampling every 30 s`);
const result = await runSoak({
  durationMs: minutes * 60_000,
  sampleEveryMs: minutes >= 5 ? 30_000 : 5_000,
  onSample: (s) => console.log(JSON.stringify(s)),
});
const loadAtEnd = loadavg()[0] ?? 0;

const first = (samples: readonly SoakSample[]) => samples[1] ?? samples[0];
const last = (samples: readonly SoakSample[]) => samples.at(-1);
const fmt = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);

function summaryRow(adapter: SoakAdapterResult): (string | number)[] {
  const start = first(adapter.samples);
  const end = last(adapter.samples);
  const peak = Math.max(...adapter.samples.map((s) => s.rssMiB));
  return [
    adapter.adapter,
    adapter.acknowledged,
    adapter.lost,
    adapter.duplicated,
    adapter.unresolved,
    `${fmt(start?.rssMiB)} → ${fmt(end?.rssMiB)} (peak ${fmt(peak)})`,
    `${start?.openFds ?? '–'} → ${end?.openFds ?? '–'}`,
    `${fmt(start?.p50Ms)} / ${fmt(start?.p99Ms)} → ${fmt(end?.p50Ms)} / ${fmt(end?.p99Ms)}`,
    adapter.crashed ?? `no (exit ${adapter.exitCode})`,
  ];
}

const answers = result.adapters
  .map(
    (a) =>
      `- ${a.adapter}: ${Object.entries(a.answers)
        .sort()
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}`,
  )
  .join('\n');
const overTime = result.adapters
  .map(
    (a) =>
      `${a.adapter}:\n\n` +
      markdownTable(
        ['s', 'RSS MiB', 'fds', 'acknowledged', 'p50 ms', 'p99 ms'],
        a.samples.map((s) => [s.atSeconds, fmt(s.rssMiB), s.openFds, s.accepted, fmt(s.p50Ms), fmt(s.p99Ms)]),
      ),
  )
  .join('\n\n');

const markdown = `## Soak: mixed valid and hostile webhook traffic with sink faults

Command: \`nice npm run bench -- soak\` (\`SOAK_MINUTES=${minutes}\`, ${result.seconds} s). Machine: ${machineLine()};
1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end. **Measured on a loaded,
shared machine**: latencies mostly measure the scheduler; the counts are what matters.

The built GitHub and GitLab bundles side by side (\`K_SINK_TIMEOUT=2\`, \`K_SINK_RETRY=2\`, body limit 256 KiB), four
senders each: 45 % new signed deliveries, 20 % resends of deliveries answered 5xx (same delivery id, as GitHub and
GitLab redeliver), 15 % bad signatures / tokens, 12 % signed bodies that are not JSON, 8 % bodies over the limit; plus
eight slowloris connections per adapter dripping one header byte a second. The shared sink cycles every 5 s through
ten 503s, a 3 s hang, ten connection resets, and nothing. Valid deliveries still unacknowledged when the run ends are
resent against the healthy sink. Lost = acknowledged (2xx) but never received by the sink.

${markdownTable(
  [
    'adapter',
    'acknowledged',
    'lost',
    'duplicated',
    'never acknowledged',
    'RSS MiB (first → last sample)',
    'open fds',
    'p50 / p99 ms (first → last)',
    'crash',
  ],
  result.adapters.map(summaryRow),
)}

Sink faults injected: ${Object.entries(result.sinkFaults)
  .map(([k, v]) => `${k} × ${v}`)
  .join(', ')}. Answers:

${answers}

Over time (each row covers the interval since the previous one):

${overTime}
`;
writeSection('soak', markdown);
console.log(markdown);
const bad = result.adapters.filter((a) => a.lost > 0 || a.crashed !== undefined);
if (bad.length > 0) process.exit(1);
