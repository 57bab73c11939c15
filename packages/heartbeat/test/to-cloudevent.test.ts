import { describe, expect, it } from 'vitest';
import { Env } from '@tributary/core';
import { heartbeatEvent, readHeartbeatConfig } from '../src/index.ts';

describe('heartbeatEvent', () => {
  const config = {
    podName: 'hb-7d9',
    podNamespace: 'demo',
    periodMs: 5000,
    label: 'lbl',
    msg: '',
    oneShot: false,
    eventType: 'dev.knative.eventing.samples.heartbeat',
    eventSource: undefined,
    sink: undefined,
    caCerts: undefined,
  };

  it('matches Knative cmd/heartbeats attribute for attribute', () => {
    const event = heartbeatEvent(config, 3, new Date('2026-05-01T10:00:00.000Z'));
    expect(event).toMatchObject({
      type: 'dev.knative.eventing.samples.heartbeat',
      source: 'https://knative.dev/eventing-contrib/cmd/heartbeats/#demo/hb-7d9',
      time: '2026-05-01T10:00:00.000Z',
      datacontenttype: 'application/json',
      data: { id: 3, label: 'lbl' },
      extensions: { the: 42, heart: 'yes', beats: true },
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes type and source from --eventType / --eventSource when given', () => {
    const event = heartbeatEvent({ ...config, eventType: 'my.beat', eventSource: 'urn:beats' }, 1, new Date());
    expect(event).toMatchObject({ type: 'my.beat', source: 'urn:beats' });
  });

  it('includes msg only when set (Go omitempty)', () => {
    expect(heartbeatEvent({ ...config, msg: 'hello' }, 1, new Date()).data).toEqual({ id: 1, label: 'lbl', msg: 'hello' });
  });
});

describe('readHeartbeatConfig', () => {
  it('defaults the period to 5s and accepts Go durations or seconds', () => {
    expect(readHeartbeatConfig(new Env({ POD_NAME: 'p', POD_NAMESPACE: 'n' })).periodMs).toBe(5000);
    expect(readHeartbeatConfig(new Env({ POD_NAME: 'p', POD_NAMESPACE: 'n', HEARTBEAT_PERIOD: '250ms' })).periodMs).toBe(250);
    expect(readHeartbeatConfig(new Env({ POD_NAME: 'p', POD_NAMESPACE: 'n', HEARTBEAT_PERIOD: '2' })).periodMs).toBe(2000);
  });

  it('names each missing or bad variable', () => {
    const env = new Env({ HEARTBEAT_PERIOD: 'soon', ONE_SHOT: 'maybe' });
    readHeartbeatConfig(env);
    expect(env.problems.map((p) => p.variable)).toEqual([
      'POD_NAME',
      'POD_NAMESPACE',
      'HEARTBEAT_PERIOD',
      'ONE_SHOT',
      'K_SINK',
    ]);
  });
});
