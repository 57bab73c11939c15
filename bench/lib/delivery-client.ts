// One contender of the delivery benchmark, in its own process so its CPU time is its own.
// `node bench/lib/delivery-client.ts <core|core-tracing-off|core-tracing-on|undici|sdk> <sinkUrl> <concurrency> <durationMs>`
// Prints {events, seconds, cpuMicros} for the measured window (after a warm-up).
import { Pool } from 'undici';
import { CloudEvent as SdkEvent, emitterFor, httpTransport, Mode } from 'cloudevents';
import { createMetrics, Env, readObservabilityConfig, SinkClient, startTracing, traceEach, type CloudEvent, type DeliveryTracer } from '@tributary/core';

const [contender = 'core', sinkUrl = '', concurrencyText = '1', durationText = '2000'] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const durationMs = Number(durationText);
const WARMUP_MS = 500;

// Every contender sends the same event: a heartbeat-like JSON payload with an extension value that
// needs percent-encoding, plus one K_CE_OVERRIDES extension.
const payload = { id: 1, label: 'bench run', msg: 'a heartbeat with some text in it' };
const attributes = { source: 'urn:tributary:bench', type: 'dev.tributary.bench', comgitlabevent: 'Push Hook' };
const overrides = { cluster: 'bench' };

type Send = () => Promise<unknown>;

/**
 * Core as an adapter runs it, each event in `traceEach` (a producer span per event, as ping and
 * apiserver do). Tracing off: no exporter configured, so `traceEach` returns the emit itself and the
 * client has no tracer. Tracing on: every event sampled (always_on), a producer span and a client span
 * per event, exported over OTLP/HTTP protobuf to the same loopback sink (which answers 202), so the
 * export's serialisation and requests count in this process's CPU.
 */
async function tracedCoreSender(on: boolean): Promise<Send> {
  const vars = on ? { OTEL_EXPORTER_OTLP_ENDPOINT: new URL(sinkUrl).origin, OTEL_TRACES_SAMPLER: 'always_on' } : {};
  const tracing = await startTracing(readObservabilityConfig(new Env(vars)).traces, { adapter: 'bench', namespace: undefined, name: undefined }, (message) =>
    process.stderr.write(`${message}\n`),
  );
  if (tracing.enabled !== on) throw new Error(`tracing should be ${on ? 'on' : 'off'}`);
  const send = coreSender(tracing.delivery);
  const emit = traceEach(tracing, (event) => send(event).then(() => {}), 'bench event');
  let n = 0;
  return () => emit(benchEvent(n++));
}

function benchEvent(n: number): CloudEvent {
  return {
    id: `core-${n}`,
    source: attributes.source,
    type: attributes.type,
    datacontenttype: 'application/json',
    data: payload,
    extensions: { comgitlabevent: attributes.comgitlabevent },
  };
}

function coreSender(tracer?: DeliveryTracer): (event: CloudEvent) => Promise<unknown> {
  const metrics = createMetrics({ adapter: 'bench' }, false);
  const client = new SinkClient({
    sink: new URL(sinkUrl),
    mode: 'binary',
    overrides,
    timeoutMs: 30_000,
    retry: { retries: 5, backoff: 'exponential', delayMs: 50, maxDelayMs: 60_000 },
    maxInFlight: Math.max(concurrency, 1),
    metrics: metrics.delivery,
    tracer,
  });
  return (event) => client.send(event);
}

function undiciSender(): Send {
  const url = new URL(sinkUrl);
  const pool = new Pool(url.origin, { connections: Math.max(concurrency, 1), pipelining: 1, keepAliveTimeout: 30_000 });
  // Prebuilt: the same headers and body every time, only the id changes.
  const body = JSON.stringify(payload);
  let n = 0;
  return async () => {
    const response = await pool.request({
      path: url.pathname,
      method: 'POST',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': `raw-${n++}`,
        'ce-source': attributes.source,
        'ce-type': attributes.type,
        'ce-time': new Date().toISOString(),
        'ce-comgitlabevent': 'Push%20Hook',
        'ce-cluster': overrides.cluster,
        'content-type': 'application/json',
      },
      body,
    });
    await response.body.dump();
    if (response.statusCode >= 300) throw new Error(`status ${response.statusCode}`);
  };
}

function sdkSender(): Send {
  const emit = emitterFor(httpTransport(sinkUrl), { mode: Mode.BINARY });
  return () =>
    emit(
      new SdkEvent({
        source: attributes.source,
        type: attributes.type,
        datacontenttype: 'application/json',
        data: payload,
        comgitlabevent: attributes.comgitlabevent,
        ...overrides,
      }),
    );
}

const senders: Record<string, () => Send | Promise<Send>> = {
  core: () => {
    const sendEvent = coreSender();
    let n = 0;
    return () => sendEvent(benchEvent(n++));
  },
  'core-tracing-off': () => tracedCoreSender(false),
  'core-tracing-on': () => tracedCoreSender(true),
  undici: undiciSender,
  sdk: sdkSender,
};
const makeSender = senders[contender];
if (makeSender === undefined) throw new Error(`unknown contender ${contender}`);
const send = await makeSender();

async function drive(ms: number): Promise<number> {
  const deadline = performance.now() + ms;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await send();
        count++;
      }
    }),
  );
  return count;
}

await drive(WARMUP_MS);
const cpuBefore = process.cpuUsage();
const started = performance.now();
const events = await drive(durationMs);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(`${JSON.stringify({ events, seconds, cpuMicros: cpu.user + cpu.system })}\n`);
process.exit(0);
