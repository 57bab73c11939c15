import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Env, readRuntimeConfig } from '@tributary/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readPingConfig, type PingConfig } from '../../src/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'ping-config-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads the config as runAdapter does: core's runtime first (ping needs no K_SINK of core), then ping's. */
function read(vars: Record<string, string>): { config: PingConfig; problems: string[] } {
  const env = new Env({ K_SINK: 'http://broker.default.svc/', NAMESPACE: 'default', NAME: 'ping', ...vars });
  const config = readPingConfig(env, readRuntimeConfig(env, { needsSink: false }));
  return { config, problems: env.problems.map((p) => `${p.variable}: ${p.message}`) };
}

describe('readPingConfig', () => {
  it('reads one source from env with Knative defaults: "* * * * *", UTC, no data, no jitter', () => {
    const { config, problems } = read({});
    expect(problems).toEqual([]);
    expect(config.jitterMs).toBe(0);
    const source = config.sources.kind === 'env' ? config.sources.source : undefined;
    expect(source).toMatchObject({ key: 'default/ping', data: undefined, contentType: undefined, sink: undefined });
    expect(source?.schedule).toMatchObject({ expression: '* * * * *', timezone: 'UTC' });
  });

  it('keeps PING_DATA exactly as set, surrounding whitespace included', () => {
    const { config } = read({ PING_DATA: '  padded \n' });
    expect(config.sources.kind === 'env' && config.sources.source?.data).toBe('  padded \n');
  });

  it.each([
    [{ PING_SCHEDULE: 'CRON_TZ=Mars/Base * * * * *' }, 'PING_SCHEDULE: unknown time zone "Mars/Base"'],
    [{ PING_SCHEDULE: '@every 10s' }, 'PING_SCHEDULE: @every is not supported'],
    [{ PING_DATA_BASE64: 'not base64!' }, 'PING_DATA_BASE64: is not valid base64'],
    [{ PING_CONTENT_TYPE: 'json', PING_DATA: '{}' }, 'PING_CONTENT_TYPE: "json" is not a media type'],
    [{ NAME: '' }, 'NAME: is required'],
    [{ NAMESPACE: 'Not_A_Namespace' }, 'NAMESPACE: "Not_A_Namespace" is not a Kubernetes namespace name'],
    [{ PING_JITTER_MS: '-1' }, 'PING_JITTER_MS: must be at least 0'],
    [{ K_SINK: '' }, 'K_SINK: required but not set'],
  ])('names the variable at fault: %j', (vars, problem) => {
    expect(read(vars).problems).toEqual([expect.stringContaining(problem)]);
  });

  it('reads the sources file at startup, keeping rejected entries for the log', () => {
    const path = join(dir, 'sources.yaml');
    writeFileSync(path, '- { namespace: a, name: good }\n- { namespace: a, name: bad, timezone: Knative/Land }\n');
    const { config, problems } = read({ PING_SOURCES_FILE: path, PING_SOURCES_POLL_INTERVAL: '500ms', PING_JITTER_MS: '250' });
    expect(problems).toEqual([]);
    expect(config.jitterMs).toBe(250);
    expect(config.sources.kind).toBe('file');
    if (config.sources.kind !== 'file') return;
    expect(config.sources.pollIntervalMs).toBe(500);
    expect(config.sources.initial.sources.map((s) => s.key)).toEqual(['a/good']);
    expect(config.sources.initial.rejected.map((r) => r.name)).toEqual(['bad']);
    expect(config.sources.initialHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets file entries carry their own sink when K_SINK is unset', () => {
    const path = join(dir, 'own-sinks.json');
    writeFileSync(path, JSON.stringify([{ namespace: 'a', name: 'b', sink: 'https://events.example.com/' }]));
    const { config, problems } = read({ K_SINK: '', PING_SOURCES_FILE: path });
    expect(problems).toEqual([]);
    expect(config.sources.kind === 'file' && config.sources.initial.sources[0]?.sink?.href).toBe('https://events.example.com/');
  });

  it('refuses single-source variables next to a sources file', () => {
    const path = join(dir, 'empty.json');
    writeFileSync(path, '[]');
    expect(read({ PING_SOURCES_FILE: path, PING_SCHEDULE: '* * * * *', PING_DATA: 'x' }).problems).toEqual([
      expect.stringContaining('PING_SCHEDULE: describes the single source from env'),
      expect.stringContaining('PING_DATA: describes the single source from env'),
    ]);
  });

  describe('with no K_SINK and no source: the PingSource objects of a cluster (mt-ping)', () => {
    const mtPing = { K_SINK: '', NAME: '', NAMESPACE: 'knative-eventing', K_SINK_TIMEOUT: '-1', K_NO_SHUTDOWN_AFTER: '' };

    it('watches every namespace through KUBECONFIG, or the one PING_WATCH_NAMESPACE names', () => {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\n');
      const all = read({ ...mtPing, KUBECONFIG: kubeconfig });
      expect(all.problems).toEqual([]);
      expect(all.config.sources).toEqual({ kind: 'kubernetes', access: { kind: 'kubeconfig', path: kubeconfig, context: undefined }, namespace: undefined });
      const one = read({ ...mtPing, KUBECONFIG: kubeconfig, PING_WATCH_NAMESPACE: 'team-a' });
      expect(one.config.sources).toMatchObject({ kind: 'kubernetes', namespace: 'team-a' });
      expect(read({ ...mtPing, KUBECONFIG: kubeconfig, PING_WATCH_NAMESPACE: 'Team_A' }).problems).toEqual([
        expect.stringContaining('PING_WATCH_NAMESPACE: "Team_A" is not a Kubernetes namespace name'),
      ]);
    });

    it('outside a cluster and without KUBECONFIG, says what is missing', () => {
      expect(read(mtPing).problems).toEqual([expect.stringMatching(/^K_SINK: not set: give one source .* or PING_SOURCES_FILE; without them ping serves the PingSource objects/)]);
    });

    it('stays in single-source mode when any single-source variable is set', () => {
      expect(read({ ...mtPing, PING_SCHEDULE: '* * * * *', NAME: 'x' }).problems).toEqual(['K_SINK: required but not set']);
      expect(read({ ...mtPing, PING_DATA: 'x' }).config.sources.kind).toBe('env');
    });
  });
});
