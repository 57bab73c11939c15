import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '@tributary/testkit';
import { Env, readRuntimeConfig } from '../src/index.ts';

const SINK = { K_SINK: 'http://sink.default.svc.cluster.local', K_TRUST_BUNDLES_DIR: '/nonexistent' };

function read(vars: Record<string, string>, component = 'apiserver') {
  const env = new Env({ ...SINK, ...vars });
  const runtime = readRuntimeConfig(env, { component });
  return { env, runtime };
}

// knative.dev/pkg logging.ConfigToJSON of the default config-logging ConfigMap.
const ZAP = JSON.stringify({ level: 'debug', development: false, outputPaths: ['stdout'], encoding: 'json' });

describe('K_SINK_TIMEOUT', () => {
  it('means no timeout at or below zero, as Knative (mt-ping sets -1)', () => {
    expect(read({ K_SINK_TIMEOUT: '-1' }).runtime.sinkTimeoutMs).toBe(0);
    expect(read({ K_SINK_TIMEOUT: '0' }).runtime.sinkTimeoutMs).toBe(0);
    expect(read({ K_SINK_TIMEOUT: '7' }).runtime.sinkTimeoutMs).toBe(7_000);
    expect(read({ K_SINK_TIMEOUT: '' }).runtime.sinkTimeoutMs).toBe(30_000);
    expect(read({ K_SINK_TIMEOUT: '-1' }).env.problems).toEqual([]);
  });
});

describe('K_LOGGING_CONFIG', () => {
  it('takes the level from zap-logger-config as knative.dev/pkg serialises it', () => {
    const { env, runtime } = read({ K_LOGGING_CONFIG: JSON.stringify({ 'zap-logger-config': ZAP }) });
    expect(runtime.logLevel).toBe('debug');
    expect(env.warnings).toEqual([]);
  });

  it("lets the component's loglevel entry win, and LOG_LEVEL win over both", () => {
    const config = JSON.stringify({ 'zap-logger-config': ZAP, 'loglevel.apiserver': 'ERROR', 'loglevel.ping': 'info' });
    expect(read({ K_LOGGING_CONFIG: config }).runtime.logLevel).toBe('error');
    expect(read({ K_LOGGING_CONFIG: config, K_COMPONENT: 'ping' }).runtime.logLevel).toBe('info');
    expect(read({ K_LOGGING_CONFIG: config, LOG_LEVEL: 'warn' }).runtime.logLevel).toBe('warn');
    const fatal = JSON.stringify({ 'zap-logger-config': JSON.stringify({ level: 'fatal' }) });
    expect(read({ K_LOGGING_CONFIG: fatal }).runtime.logLevel).toBe('error');
  });

  it.each([
    ['not JSON', '{zap'],
    ['not an object of strings', JSON.stringify({ 'zap-logger-config': { level: 'debug' } })],
    ['a zap config that is not JSON', JSON.stringify({ 'zap-logger-config': '{level' })],
    ['an unknown level', JSON.stringify({ 'zap-logger-config': JSON.stringify({ level: 'loud' }) })],
    ['an unknown component level', JSON.stringify({ 'loglevel.apiserver': 'loud' })],
  ])('logs %s as a warning and keeps the default level', (_what, value) => {
    const { env, runtime } = read({ K_LOGGING_CONFIG: value });
    expect(env.problems).toEqual([]);
    expect(env.warnings.map((w) => w.variable)).toEqual(['K_LOGGING_CONFIG']);
    expect(runtime.logLevel).toBe('info');
  });

  it('treats an empty value, or one without a level, as unset', () => {
    for (const value of ['', '{}', JSON.stringify({ 'zap-logger-config': '' }), JSON.stringify({ 'zap-logger-config': '{}' })]) {
      const { env, runtime } = read({ K_LOGGING_CONFIG: value });
      expect([env.problems, env.warnings, runtime.logLevel]).toEqual([[], [], 'info']);
    }
  });
});

describe('the other Knative variables', () => {
  it('accepts every variable a Knative controller sets, in any shape, without a problem', () => {
    for (const value of ['', '{}', 'not json', '{"tracing":{"protocol":"none"}}']) {
      const { env, runtime } = read({
        K_OBSERVABILITY_CONFIG: value,
        K_TRACING_CONFIG: value,
        K_METRICS_CONFIG: value,
        K_SOURCE_CONFIG: value,
        K_NO_SHUTDOWN_AFTER: '55',
        SYSTEM_NAMESPACE: 'knative-eventing',
        METRICS_DOMAIN: 'knative.dev/eventing',
      });
      expect(env.problems).toEqual([]);
      expect(runtime.knative).toMatchObject({
        systemNamespace: 'knative-eventing',
        metricsDomain: 'knative.dev/eventing',
        noShutdownAfterSeconds: 55,
      });
    }
  });

  it('logs a K_NO_SHUTDOWN_AFTER outside 0-59 and ignores it, as mt-ping', () => {
    for (const value of ['60', '-1', 'soon']) {
      const { env, runtime } = read({ K_NO_SHUTDOWN_AFTER: value });
      expect(env.problems).toEqual([]);
      expect(env.warnings.map((w) => w.variable)).toEqual(['K_NO_SHUTDOWN_AFTER']);
      expect(runtime.knative.noShutdownAfterSeconds).toBeUndefined();
    }
  });
});

describe('trust bundles', () => {
  it('trusts every *.pem and *.crt under the directory beside K_CA_CERTS, once each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
    const [one, two, three] = [selfSignedCertificate().cert, selfSignedCertificate().cert, selfSignedCertificate().cert];
    // The layout kubelet writes for a ConfigMap volume: the files live in a timestamped directory,
    // `..data` links to it, and each visible name links through `..data`.
    mkdirSync(join(dir, '..2026_12_06_07_00_00.1'));
    writeFileSync(join(dir, '..2026_12_06_07_00_00.1', 'knative-eventing-bundle.pem'), one);
    symlinkSync('..2026_12_06_07_00_00.1', join(dir, '..data'));
    symlinkSync(join('..data', 'knative-eventing-bundle.pem'), join(dir, 'knative-eventing-bundle.pem'));
    mkdirSync(join(dir, 'extra'));
    writeFileSync(join(dir, 'extra', 'ca.crt'), two + one);
    writeFileSync(join(dir, 'readme.txt'), three);
    writeFileSync(join(dir, 'empty.pem'), 'nothing here');

    const { env, runtime } = read({ K_TRUST_BUNDLES_DIR: dir, K_CA_CERTS: three });
    expect(env.problems).toEqual([]);
    expect(env.warnings).toEqual([{ variable: 'K_TRUST_BUNDLES_DIR', message: `${join(dir, 'empty.pem')} holds no PEM certificate; skipped` }]);
    const pem = runtime.caCerts ?? '';
    for (const cert of [one, two, three]) expect(pem).toContain(cert.trim());
    expect(pem.split('-----BEGIN CERTIFICATE-----').length - 1).toBe(3);
  });

  it('is no problem when the directory does not exist', () => {
    const { env, runtime } = read({});
    expect([env.problems, env.warnings, runtime.caCerts]).toEqual([[], [], undefined]);
  });
});

describe('the metrics port Knative configures', () => {
  it("follows K_OBSERVABILITY_CONFIG's prometheus endpoint (eventing >= 1.19 fills in :9092) and K_METRICS_CONFIG's PrometheusPort", () => {
    const prometheus = JSON.stringify({ tracing: { protocol: 'none' }, metrics: { protocol: 'prometheus', endpoint: ':9092' } });
    expect(read({ K_OBSERVABILITY_CONFIG: prometheus }).runtime.metricsPort).toBe(9092);
    const options = JSON.stringify({ Domain: 'knative.dev/eventing', Component: 'apiserversource', PrometheusPort: 9091, ConfigMap: { 'metrics.backend-destination': 'prometheus' } });
    expect(read({ K_METRICS_CONFIG: options }).runtime.metricsPort).toBe(9091);
  });

  it('leaves 9090 for other protocols and malformed values, and lets METRICS_PORT and METRICS_PROMETHEUS_PORT win', () => {
    const otlp = JSON.stringify({ metrics: { protocol: 'http/protobuf', endpoint: 'http://collector:4318' } });
    expect(read({ K_OBSERVABILITY_CONFIG: otlp }).runtime.metricsPort).toBe(9090);
    expect(read({ K_OBSERVABILITY_CONFIG: '{"metrics":' }).runtime.metricsPort).toBe(9090);
    const prometheus = JSON.stringify({ metrics: { protocol: 'prometheus', endpoint: ':9092' } });
    expect(read({ K_OBSERVABILITY_CONFIG: prometheus, METRICS_PORT: '9100' }).runtime.metricsPort).toBe(9100);
    expect(read({ K_OBSERVABILITY_CONFIG: prometheus, METRICS_PROMETHEUS_PORT: '9101' }).runtime.metricsPort).toBe(9101);
    const clash = JSON.stringify({ metrics: { protocol: 'prometheus', endpoint: ':8080' } });
    const { env, runtime } = read({ K_OBSERVABILITY_CONFIG: clash });
    expect([runtime.metricsPort, env.problems]).toEqual([9090, []]);
  });
});
