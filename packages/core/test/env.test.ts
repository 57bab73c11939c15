import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, Env, MAX_DURATION_MS, readRuntimeConfig } from '../src/index.ts';

const SINK = { K_SINK: 'http://sink.default.svc.cluster.local' };

describe('readRuntimeConfig', () => {
  it('applies the documented defaults', () => {
    const env = new Env(SINK);
    const runtime = readRuntimeConfig(env);
    env.assertValid();
    expect(runtime).toMatchObject({
      sinkTimeoutMs: 30_000,
      mode: 'binary',
      port: 8080,
      metricsPort: 9090,
      logLevel: 'info',
      oidcTokenFile: '/oidc/token',
      retry: { retries: 5, backoff: 'exponential', delayMs: 50 },
      ceOverrides: {},
    });
    expect(runtime.sink?.href).toBe('http://sink.default.svc.cluster.local/');
  });

  it('names every bad variable in one error', () => {
    const env = new Env({
      K_SINK: 'not a url',
      K_SINK_TIMEOUT: '3.5',
      K_SINK_RETRY: '-1',
      K_SINK_BACKOFF_POLICY: 'fibonacci',
      K_SINK_BACKOFF_DELAY: '50ms',
      K_SINK_MODE: 'batch',
      PORT: '70000',
      LOG_LEVEL: 'verbose',
      K_CA_CERTS: 'not pem',
    });
    readRuntimeConfig(env);
    const error = (() => {
      try {
        env.assertValid();
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const named = (error as ConfigError).problems.map((p) => p.variable);
    expect(named).toEqual(
      expect.arrayContaining([
        'K_SINK',
        'K_SINK_TIMEOUT',
        'K_SINK_RETRY',
        'K_SINK_BACKOFF_POLICY',
        'K_SINK_BACKOFF_DELAY',
        'K_SINK_MODE',
        'PORT',
        'LOG_LEVEL',
        'K_CA_CERTS',
      ]),
    );
    expect((error as ConfigError).message).toContain('K_SINK: must be an absolute URL');
  });

  it('keeps metrics off queue-proxy’s 9090 and 9091 in a Knative Service revision (K_REVISION set)', () => {
    // The GitHubSource controller's receive-adapter Service sets no metrics port at all.
    expect(readRuntimeConfig(new Env({ ...SINK, K_REVISION: 'repo-events-x7k2p-00001' })).metricsPort).toBe(9092);
    expect(readRuntimeConfig(new Env({ ...SINK, K_REVISION: 'r-00001', METRICS_PORT: '9090' })).metricsPort).toBe(9090);
    expect(readRuntimeConfig(new Env({ ...SINK })).metricsPort).toBe(9090);
  });

  it("serves metrics on knative.dev/pkg's METRICS_PROMETHEUS_PORT when METRICS_PORT is unset", () => {
    expect(readRuntimeConfig(new Env({ ...SINK, METRICS_PROMETHEUS_PORT: '9092' })).metricsPort).toBe(9092);
    expect(readRuntimeConfig(new Env({ ...SINK, METRICS_PROMETHEUS_PORT: '9092', METRICS_PORT: '9191' })).metricsPort).toBe(9191);
    const env = new Env({ ...SINK, METRICS_PROMETHEUS_PORT: '8080' });
    readRuntimeConfig(env);
    expect(env.problems).toEqual([{ variable: 'METRICS_PROMETHEUS_PORT', message: 'must differ from PORT (8080)' }]);
  });

  it('binds LISTEN_ADDRESS when it is an IP address, every interface when unset', () => {
    expect(readRuntimeConfig(new Env({ ...SINK })).listenAddress).toBeUndefined();
    expect(readRuntimeConfig(new Env({ ...SINK, LISTEN_ADDRESS: '127.0.0.1' })).listenAddress).toBe('127.0.0.1');
    expect(readRuntimeConfig(new Env({ ...SINK, LISTEN_ADDRESS: '::1' })).listenAddress).toBe('::1');
    const env = new Env({ ...SINK, LISTEN_ADDRESS: 'localhost:8080' });
    readRuntimeConfig(env);
    expect(env.problems).toEqual([
      { variable: 'LISTEN_ADDRESS', message: 'must be an IP address such as 127.0.0.1 or ::1, got "localhost:8080"' },
    ]);
  });

  it('requires K_SINK unless the component is not a source', () => {
    const env = new Env({});
    readRuntimeConfig(env);
    expect(env.problems).toEqual([{ variable: 'K_SINK', message: 'required but not set' }]);
    const display = new Env({});
    readRuntimeConfig(display, { needsSink: false });
    expect(display.problems).toEqual([]);
  });
});

describe('K_CE_OVERRIDES', () => {
  const problemsFor = (value: string) => {
    const env = new Env({ ...SINK, K_CE_OVERRIDES: value });
    readRuntimeConfig(env);
    return env.problems.map((p) => `${p.variable}: ${p.message}`);
  };

  it('accepts the Knative shape and an empty value', () => {
    const env = new Env({ ...SINK, K_CE_OVERRIDES: '{"extensions":{"cluster":"prod eu","team":"a1"}}' });
    expect(readRuntimeConfig(env).ceOverrides).toEqual({ cluster: 'prod eu', team: 'a1' });
    expect(problemsFor('')).toEqual([]);
  });

  it.each([
    ['{not json', /is not valid JSON/],
    ['["extensions"]', /must be a JSON object/],
    ['{"extensions":{"type":"x"}}', /"type" names a core CloudEvents attribute/],
    ['{"extensions":{"Bad.Name":"x"}}', /"Bad.Name" must match \[a-z0-9\]\+/],
    ['{"extensions":{"n":1}}', /"n" must be a string/],
    ['{"extensions":{},"source":"x"}', /unknown key "source"/],
  ])('rejects %s', (value, message) => {
    const problems = problemsFor(value);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^K_CE_OVERRIDES: /);
    expect(problems[0]).toMatch(message);
  });
});

describe('Env', () => {
  it('reads secrets from NAME_FILE and refuses both forms', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    const file = join(dir, 'secret');
    writeFileSync(file, 's3cr3t\n');
    expect(new Env({ TOKEN_FILE: file }).secret('TOKEN')).toBe('s3cr3t');
    const both = new Env({ TOKEN: 'a', TOKEN_FILE: file });
    both.secret('TOKEN');
    expect(both.problems[0]?.message).toBe('set both TOKEN and TOKEN_FILE; use one');
    const missing = new Env({ TOKEN_FILE: join(dir, 'nope') });
    missing.secret('TOKEN', { required: true });
    expect(missing.problems[0]?.variable).toBe('TOKEN_FILE');
    expect(missing.problems[0]?.message).not.toContain('s3cr3t');
  });

  it('parses Go durations, whole seconds and ISO-8601 durations', () => {
    const env = new Env({ A: '250ms', B: '1m30s', C: '7', D: 'PT0.05S', E: 'P1DT2H', F: '5 s' });
    expect(env.duration('A', 0)).toBe(250);
    expect(env.duration('B', 0)).toBe(90_000);
    expect(env.duration('C', 0)).toBe(7_000);
    expect(env.isoDuration('D', 0)).toBe(50);
    expect(env.isoDuration('E', 0)).toBe(93_600_000);
    expect(env.duration('F', 1)).toBe(1);
    expect(env.problems.map((p) => p.variable)).toEqual(['F']);
  });

  it('refuses any duration past Node timer limit, in every notation, naming the variable', () => {
    const env = new Env({ GO: '1000h', ISO: 'PT1000H', SECONDS: '3600000', EDGE: '596h31m23.647s', LOW: '50ms' });
    expect(env.duration('GO', 5_000)).toBe(5_000);
    expect(env.isoDuration('ISO', 50)).toBe(50);
    expect(env.seconds('SECONDS', 30_000)).toBe(30_000);
    expect(env.duration('EDGE', 0)).toBe(MAX_DURATION_MS);
    expect(env.duration('LOW', 1_000, { min: 100 })).toBe(1_000);
    expect(env.problems).toEqual([
      { variable: 'GO', message: "must be at most 596h31m23.647s (Node's timer limit), got 1000h" },
      { variable: 'ISO', message: "must be at most 596h31m23.647s (Node's timer limit), got 1000h" },
      { variable: 'SECONDS', message: "must be at most 596h31m23.647s (Node's timer limit), got 1000h" },
      { variable: 'LOW', message: 'must be at least 100ms' },
    ]);
  });

  it('applies the one duration rule to the runtime contract', () => {
    const env = new Env({ ...SINK, SHUTDOWN_GRACE_PERIOD: '1000h', K_SINK_BACKOFF_MAX: '1000h', K_SINK_TIMEOUT: '3600000' });
    readRuntimeConfig(env);
    expect(env.problems.map((p) => p.variable)).toEqual(['K_SINK_TIMEOUT', 'K_SINK_BACKOFF_MAX', 'SHUTDOWN_GRACE_PERIOD']);
  });
});
