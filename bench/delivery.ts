// Core delivery vs raw undici vs the cloudevents SDK emitter, to a loopback sink in its own process.
// `npm run bench -- delivery` (or `node bench/delivery.ts [rounds] [durationMs]`).
import { ROOT, runJson, spawnJson, stopChild } from './lib/processes.ts';
import { machineLine, markdownTable, median, writeSection } from './lib/report.ts';

const rounds = Number(process.argv[2] ?? 5);
const durationMs = Number(process.argv[3] ?? 2000);
const contenders = ['core', 'core-tracing-off', 'core-tracing-on', 'undici', 'sdk'] as const;
const concurrencies = [1, 16, 64];

interface Sample {
  events: number;
  seconds: number;
  cpuMicros: number;
}

const { child: sink, first } = await spawnJson<{ port: number }>(`${ROOT}bench/lib/fast-sink.ts`, []);
const sinkUrl = `http://127.0.0.1:${first.port}/`;
const results = new Map<string, { rate: number[]; cpu: number[] }>();
try {
  for (const concurrency of concurrencies) {
    for (let round = 0; round < rounds; round++) {
      // Alternate the order each round so drift on a noisy machine hits every contender alike.
      const order = round % 2 === 0 ? contenders : [...contenders].reverse();
      for (const contender of order) {
        const sample = await runJson<Sample>(`${ROOT}bench/lib/delivery-client.ts`, [contender, sinkUrl, String(concurrency), String(durationMs)]);
        const key = `${contender}@${concurrency}`;
        const entry = results.get(key) ?? { rate: [], cpu: [] };
        entry.rate.push(sample.events / sample.seconds);
        entry.cpu.push(sample.cpuMicros / sample.events);
        results.set(key, entry);
        process.stdout.write(`${key} round ${round + 1}: ${(sample.events / sample.seconds).toFixed(0)} ev/s, ${(sample.cpuMicros / sample.events).toFixed(1)} µs CPU/ev\n`);
      }
    }
  }
} finally {
  await stopChild(sink);
}

const LABELS: Record<(typeof contenders)[number], string> = {
  core: '**core (SinkClient)**',
  'core-tracing-off': 'core in `traceEach`, tracing off',
  'core-tracing-on': 'core in `traceEach`, tracing on, 100 % sampled',
  undici: 'raw undici, prebuilt headers',
  sdk: '`cloudevents` emitterFor(httpTransport)',
};

const rows = concurrencies.flatMap((concurrency) => {
  const raw = results.get(`undici@${concurrency}`)!;
  return contenders.map((contender) => {
    const entry = results.get(`${contender}@${concurrency}`)!;
    const rate = median(entry.rate);
    const cpu = median(entry.cpu);
    return [
      concurrency,
      LABELS[contender],
      rate.toFixed(0),
      cpu.toFixed(1),
      `${((rate / median(raw.rate)) * 100).toFixed(0)}%`,
      `${((cpu / median(raw.cpu)) * 100).toFixed(0)}%`,
    ];
  });
});
const range = (values: readonly number[]) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
const tracingRows = concurrencies.map((concurrency) => {
  const core = median(results.get(`core@${concurrency}`)!.cpu);
  const cell = (contender: 'core-tracing-off' | 'core-tracing-on') => {
    const cpu = results.get(`${contender}@${concurrency}`)!.cpu;
    const change = (median(cpu) / core - 1) * 100;
    return `${change >= 0 ? '+' : ''}${change.toFixed(1)} % (${median(cpu).toFixed(1)} µs, ${range(cpu)})`;
  };
  return [concurrency, cell('core-tracing-off'), cell('core-tracing-on')];
});
const markdown = `## Delivery: core vs raw undici vs the cloudevents SDK emitter

Command: \`npm run bench -- delivery\` (${rounds} alternating rounds of ${durationMs / 1000} s per contender and
concurrency, after a 0.5 s warm-up; each contender in its own process; the sink is a minimal node:http server in
another process on 127.0.0.1 answering 202). Machine: ${machineLine()}.

The same event everywhere: JSON data, an extension needing percent-encoding (\`Push Hook\`), one override.
Core does all its contract work per event (building headers, percent-encoding, overrides, metrics, retry
bookkeeping); raw undici sends prebuilt headers. CPU is the client process's user+system time per event.
The two tracing rows send through \`traceEach\` as ping and apiserver do: off (no exporter configured, the
OpenTelemetry SDK is never loaded), and on with every event sampled (a producer and a client span per event,
\`traceparent\` on each request, batches exported over OTLP/HTTP protobuf to the same loopback sink).

${markdownTable(['concurrency', 'client', 'events/s (median)', 'client CPU µs/event (median)', 'rate vs raw', 'CPU vs raw'], rows)}

Tracing's cost, client CPU per event against plain core at the same concurrency (median; range over rounds):

${markdownTable(['concurrency', 'tracing off', 'tracing on, 100 % sampled'], tracingRows)}
`;
writeSection('delivery', markdown);
console.log(markdown);
