// Baseline process for bench/ping.ts: the obvious design, one croner job (its own timer and its own
// lookup tables) per schedule, reading the benchmark's JSON sources file and sending each tick's
// event through core's sink client, as the ping adapter does. No HTTP server, probes or metrics.
// Usage: PING_SOURCES_FILE=... K_SINK=... node bench/ping-timers.ts
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Env, SinkClients, createMetrics, readRuntimeConfig } from '@tributary/core';
import { Cron } from 'croner';

interface Entry {
  readonly namespace: string;
  readonly name: string;
  readonly schedule: string;
  readonly timezone: string;
  readonly contentType: string;
  readonly data: string;
}

// The same young-generation setting as the adapter's main.ts, so the two differ in the scheduler.
setFlagsFromString('--semi-space-growth-factor=1');
const env = new Env(process.env);
const runtime = readRuntimeConfig(env);
env.assertValid();
const entries = JSON.parse(readFileSync(process.env['PING_SOURCES_FILE'] ?? '', 'utf8')) as Entry[];
const emit = new SinkClients(runtime, undefined, createMetrics({ adapter: 'bench' }, false)).emitTo({});

for (const entry of entries) {
  const source = `/apis/v1/namespaces/${entry.namespace}/pingsources/${entry.name}`;
  const zone = entry.timezone === 'UTC' ? { utcOffset: 0 } : { timezone: entry.timezone };
  // croner passes the trigger time, not the scheduled one: every bench schedule is on whole
  // seconds, so the nearest second is the instant it stood for.
  new Cron(entry.schedule, { mode: '5-or-6-parts', sloppyRanges: true, fixedTimeRule: 'no-wildcard', ...zone }, () => {
    const time = new Date(Math.round(Date.now() / 1000) * 1000).toISOString();
    const event = { id: randomUUID(), type: 'dev.knative.sources.ping', source, time, datacontenttype: entry.contentType, data: entry.data };
    emit(event).catch(() => {});
  });
}
process.stdout.write(`ready ${entries.length}\n`);
process.on('SIGTERM', () => process.exit(0));
