import { startRecordingSink, waitFor, type AdapterProcess, type ReceivedEvent, type RecordingSink } from '@tributary/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configMapVolume, type ConfigMapVolume } from '../config-map-volume.ts';
import { scrape, startPing, UUID, WHOLE_SECOND } from './harness.ts';

const from = (name: string) => (event: ReceivedEvent) => event.attributes['source'] === `/apis/v1/namespaces/team-a/pingsources/${name}`;
const timeOf = (event: ReceivedEvent) => Date.parse(event.attributes['time'] as string);

function entry(name: string, data: string, extra: Record<string, unknown> = {}) {
  return { namespace: 'team-a', name, schedule: '* * * * * *', contentType: 'text/plain', data, ...extra };
}

describe('ping bundle, sources from a mounted file', () => {
  let sink: RecordingSink;
  let proc: AdapterProcess | undefined;
  let volume: ConfigMapVolume | undefined;
  const extraSinks: RecordingSink[] = [];

  beforeEach(async () => {
    sink = await startRecordingSink();
  });
  afterEach(async () => {
    for (const extra of extraSinks) extra.faults.hang(false);
    await proc?.stop();
    proc = undefined;
    volume?.remove();
    await Promise.all([sink, ...extraSinks.splice(0)].map((s) => s.close()));
  });

  it('serves every good entry, logs a bad one, and follows added, changed and removed entries', async () => {
    volume = configMapVolume(
      'sources.json',
      JSON.stringify([
        entry('alpha', 'alpha-v1'),
        entry('bad-schedule', 'x', { schedule: '61 * * * *' }),
        entry('bad-zone', 'x', { timezone: 'Knative/Land' }),
        entry('both-data', 'x', { dataBase64: 'eA==' }),
        entry('json-array', '["x"]', { contentType: 'application/json' }),
      ]),
    );
    ({ proc } = await startPing(sink.url, { PING_SOURCES_FILE: volume.path, PING_SOURCES_POLL_INTERVAL: '200ms' }));

    await proc.waitForLog((l) => l['msg'] === 'ping sources loaded');
    const rejected = proc.logs.filter((l) => l['msg'] === 'ping source rejected');
    expect(rejected.map((l) => [l['level'], l['entry'], (l['pingsource'] as { name: string }).name, l['reason']])).toEqual([
      ['error', 1, 'bad-schedule', expect.stringContaining('schedule: "61 * * * *" is not a valid cron expression')],
      ['error', 2, 'bad-zone', expect.stringContaining('timezone: unknown time zone "Knative/Land"')],
      ['error', 3, 'both-data', expect.stringContaining('dataBase64: data and dataBase64 are mutually exclusive')],
      ['error', 4, 'json-array', expect.stringContaining('data: must be a JSON object')],
    ]);
    await waitFor(() => sink.events.filter(from('alpha')).length >= 2, { what: 'alpha v1', timeoutMs: 6_000 });

    // Change alpha's data and add beta.
    volume.publish(JSON.stringify([entry('alpha', 'alpha-v2'), entry('beta', 'beta')]));
    await proc.waitForLog((l) => l['msg'] === 'ping sources loaded' && l['added'] === 1 && l['changed'] === 1);
    await waitFor(() => sink.events.filter(from('beta')).length >= 2 && sink.events.some((e) => from('alpha')(e) && e.text() === 'alpha-v2'), {
      what: 'beta and alpha v2',
      timeoutMs: 6_000,
    });
    const alpha = sink.events.filter(from('alpha'));
    const lastV1 = Math.max(...alpha.filter((e) => e.text() === 'alpha-v1').map(timeOf));
    const firstV2 = Math.min(...alpha.filter((e) => e.text() === 'alpha-v2').map(timeOf));
    expect(lastV1).toBeLessThan(firstV2);

    // Remove alpha.
    volume.publish(JSON.stringify([entry('beta', 'beta')]));
    const removed = await proc.waitForLog((l) => l['msg'] === 'ping sources loaded' && l['removed'] === 1);
    const removedAt = Date.parse(removed['time'] as string);
    const betaBefore = sink.events.filter(from('beta')).length;
    await waitFor(() => sink.events.filter(from('beta')).length >= betaBefore + 2, { what: 'beta after the removal', timeoutMs: 6_000 });
    expect(sink.events.filter(from('alpha')).every((e) => timeOf(e) <= removedAt)).toBe(true);

    for (const event of sink.events) {
      expect(event.attributes['type']).toBe('dev.knative.sources.ping');
      expect(event.attributes['id']).toMatch(UUID);
      expect(event.attributes['time']).toMatch(WHOLE_SECOND);
      expect(event.attributes['datacontenttype']).toBe('text/plain');
    }
  });

  it('keeps the last good set when a new version cannot be parsed', async () => {
    volume = configMapVolume('sources.yaml', `- { namespace: team-a, name: alpha, schedule: "* * * * * *" }\n`);
    let env;
    ({ proc, env } = await startPing(sink.url, { PING_SOURCES_FILE: volume.path, PING_SOURCES_POLL_INTERVAL: '200ms' }));
    volume.publish('- { namespace: team-a, name: [alpha\n');
    const kept = await proc.waitForLog((l) => l['msg'] === 'sources file not applied: keeping the last good set');
    expect(kept['reason']).toContain('cannot be parsed');
    const keptAt = Date.parse(kept['time'] as string);
    await waitFor(() => sink.events.some((e) => from('alpha')(e) && timeOf(e) > keptAt), { what: 'alpha after the broken version', timeoutMs: 5_000 });
    const metrics = await scrape(env);
    expect(metrics).toContain('tributary_ping_reloads_total{outcome="failed",adapter="ping"} 1');
    expect(metrics).toContain('tributary_ping_sources{adapter="ping"} 1');
  });

  it("sends to an entry's own sink with its overrides, and a hung sink delays no other source", async () => {
    const own = await startRecordingSink();
    const hung = await startRecordingSink();
    extraSinks.push(own, hung);
    hung.faults.hang(true);
    volume = configMapVolume(
      'sources.yaml',
      JSON.stringify([
        entry('local', 'local'),
        entry('elsewhere', 'elsewhere', { sink: own.url, ceOverrides: { extensions: { tenant: 'b' } } }),
        entry('stuck', 'stuck', { sink: hung.url }),
      ]),
    );
    ({ proc } = await startPing(sink.url, {
      PING_SOURCES_FILE: volume.path,
      K_CE_OVERRIDES: '{"extensions":{"team":"platform","tenant":"default"}}',
      K_SINK_TIMEOUT: '30',
    }));
    await waitFor(() => hung.requestCount >= 1, { what: 'a request stuck in the hung sink', timeoutMs: 5_000 });
    const stuckSince = Date.now();
    const local = await waitFor(() => sink.events.filter((e) => timeOf(e) > stuckSince).length >= 3, {
      what: 'local ticks while the other sink hangs',
      timeoutMs: 8_000,
    }).then(() => sink.events.filter((e) => timeOf(e) > stuckSince).slice(0, 3).map(timeOf));
    expect([local[1]! - local[0]!, local[2]! - local[1]!]).toEqual([1_000, 1_000]);
    expect(sink.events.every(from('local'))).toBe(true);
    expect(sink.events[0]?.attributes).toMatchObject({ team: 'platform', tenant: 'default' });

    const [elsewhere] = await own.waitForEvents(1);
    expect(own.events.every(from('elsewhere'))).toBe(true);
    expect(elsewhere?.attributes).toMatchObject({ team: 'platform', tenant: 'b' });
    expect(elsewhere?.text()).toBe('elsewhere');
  });
});
