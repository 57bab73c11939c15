import { describe, expect, it } from 'vitest';
import { Env } from '@tributary/core';
import { readHeartbeatConfig } from '../src/index.ts';

const POD = { POD_NAME: 'hb', POD_NAMESPACE: 'demo', K_SINK: 'http://sink.demo.svc' };

function read(args: readonly string[], vars: Record<string, string> = POD) {
  const env = new Env(vars);
  const config = readHeartbeatConfig(env, undefined, args);
  return { config, problems: env.problems };
}

// The flags of knative/eventing cmd/heartbeats/main.go (knative-v1.22.2), parsed as Go's flag package does.
describe('heartbeats flags', () => {
  it.each([
    [['--period=1'], 1000],
    [['-period=1'], 1000],
    [['--period', '1'], 1000],
    [['-period', '250ms'], 250],
    [['--period=1m30s'], 90_000],
    [['--period='], 5000],
    [[], 5000],
  ])('%j gives a period of %i ms', (args, periodMs) => {
    const { config, problems } = read(args);
    expect(problems).toEqual([]);
    expect(config.periodMs).toBe(periodMs);
  });

  it('reads every flag of the sample, the last of a repeated flag winning', () => {
    const { config, problems } = read([
      '--label=first',
      '-label',
      'second',
      '--msg',
      'hello',
      '-eventType=com.example.beat',
      '--eventSource',
      'https://example.com/beats',
      '--period',
      '2',
    ]);
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      label: 'second',
      msg: 'hello',
      eventType: 'com.example.beat',
      eventSource: 'https://example.com/beats',
      periodMs: 2000,
    });
  });

  it('unquotes a quoted label as strconv.Unquote does, and leaves an unquoted one as it is', () => {
    expect(read(['--label="a\\tb \\u00e9\\x41\\101"']).config.label).toBe('a\tb éAA');
    expect(read(['--label=plain "words"']).config.label).toBe('plain "words"');
    expect(read(['--label', '"hi"']).config.label).toBe('hi');
  });

  it('reports a quoted label Go could not unquote instead of sending an empty one', () => {
    expect(read(['--label="unterminated']).problems).toEqual([
      { variable: '-label', message: expect.stringContaining('not a valid Go quoted string') },
    ]);
  });

  it('lets a flag win over the HEARTBEAT_* variable, and the variable apply without it', () => {
    const vars = { ...POD, HEARTBEAT_PERIOD: '9s', HEARTBEAT_LABEL: 'env', HEARTBEAT_MSG: 'env-msg' };
    expect(read(['--period=1', '--label=flag'], vars).config).toMatchObject({ periodMs: 1000, label: 'flag', msg: 'env-msg' });
    expect(read([], vars).config).toMatchObject({ periodMs: 9000, label: 'env' });
  });

  it('uses --sink only without K_SINK, as cmd/heartbeats does', () => {
    expect(read(['--sink=http://flag.example']).config.sink).toBeUndefined();
    const { config, problems } = read(['--sink', 'http://flag.example/x'], { POD_NAME: 'hb', POD_NAMESPACE: 'demo' });
    expect(problems).toEqual([]);
    expect(config.sink?.href).toBe('http://flag.example/x');
  });

  it('needs K_SINK or --sink', () => {
    expect(read([], { POD_NAME: 'hb', POD_NAMESPACE: 'demo' }).problems).toEqual([
      { variable: 'K_SINK', message: 'required but not set (or pass --sink)' },
    ]);
  });

  it('stops at the first non-flag argument and after --, as flag.Parse does', () => {
    expect(read(['--period=2', 'extra', '--period=3']).config.periodMs).toBe(2000);
    expect(read(['--', '--period=3']).config.periodMs).toBe(5000);
  });

  it('names every bad flag in one report', () => {
    const { problems } = read(['--period=soon', '--one-shot', '---x', '--label']);
    expect(problems.map((p) => p.variable)).toEqual(['-one-shot', '---x', '-label', '-period']);
    expect(problems[0]?.message).toContain('flag provided but not defined');
    expect(problems[2]?.message).toBe('flag needs an argument');
  });

  it('rejects a non-URL --sink and non-PEM --cacerts when the env does not override them', () => {
    const vars = { POD_NAME: 'hb', POD_NAMESPACE: 'demo' };
    expect(read(['--sink=ftp://x', '--cacerts=nope'], vars).problems.map((p) => p.variable)).toEqual(['-sink', '-cacerts']);
  });
});
