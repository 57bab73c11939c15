import { describe, expect, it } from 'vitest';
import { buildPingSource, decodeBase64, type PingSourceInput } from '../../src/source.ts';
import { knativeInvalidSpecs } from './knative-fixtures.ts';

const base: PingSourceInput = { namespace: 'default', name: 'ping' };
const fieldsOf = (input: PingSourceInput) => {
  const result = buildPingSource(input);
  return result.ok ? [] : result.problems.map((problem) => problem.field);
};

describe('buildPingSource', () => {
  it.each(knativeInvalidSpecs().map((c) => [c.case, c.field, c.spec] as const))('rejects what Knative rejects: %s', (_name, field, spec) => {
    expect(fieldsOf({ ...base, ...spec })).toEqual([field]);
  });

  it('defaults the schedule to "* * * * *" and the zone to UTC', () => {
    const result = buildPingSource(base);
    expect(result.ok && [result.source.schedule.expression, result.source.schedule.timezone]).toEqual(['* * * * *', 'UTC']);
    expect(result.ok && result.source.key).toBe('default/ping');
  });

  it.each([
    ['[1, 2]', 'an array'],
    ['"text"', 'string'],
    ['null', 'null'],
    ['42', 'number'],
  ])('with application/json, refuses data %s (Knative unmarshals into a map)', (data, got) => {
    const result = buildPingSource({ ...base, contentType: 'application/json', data });
    expect(result.ok ? [] : result.problems).toEqual([{ field: 'data', message: expect.stringContaining(`got ${got}`) }]);
  });

  it('treats application/json with parameters and +json types as JSON too', () => {
    expect(fieldsOf({ ...base, contentType: 'application/json; charset=utf-8', data: '[]' })).toEqual(['data']);
    expect(fieldsOf({ ...base, contentType: 'application/cloudevents+json', data: 'x' })).toEqual(['data']);
    expect(fieldsOf({ ...base, contentType: 'text/plain', data: '[1]' })).toEqual([]);
  });

  it('refuses decoded bytes that are not UTF-8 JSON under application/json', () => {
    expect(fieldsOf({ ...base, contentType: 'application/json', dataBase64: Buffer.from([0xff, 0xfe]).toString('base64') })).toEqual(['dataBase64']);
  });

  it('refuses names that cannot appear in a Kubernetes object reference', () => {
    expect(fieldsOf({ namespace: 'Default', name: 'ping' })).toEqual(['namespace']);
    expect(fieldsOf({ namespace: 'default', name: 'a b' })).toEqual(['name']);
    expect(fieldsOf({ namespace: 'default', name: 'x'.repeat(254) })).toEqual(['name']);
    expect(fieldsOf({})).toEqual(['namespace', 'name']);
  });

  it('refuses a content type that is not a media type', () => {
    expect(fieldsOf({ ...base, contentType: 'json' })).toEqual(['contentType']);
    expect(fieldsOf({ ...base, contentType: 'text/plain; charset=utf-8' })).toEqual([]);
  });

  it('reports every problem at once', () => {
    expect(fieldsOf({ namespace: 'default', name: 'ping', schedule: '61 * * * *', timezone: 'Knative/Land', contentType: 'application/json', data: '[]' })).toEqual([
      'timezone',
      'schedule',
      'data',
    ]);
  });

  it('gives equal definitions equal fingerprints and different ones different fingerprints', () => {
    const print = (input: PingSourceInput) => {
      const result = buildPingSource(input);
      if (!result.ok) throw new Error('invalid');
      return result.source.fingerprint;
    };
    const one = { ...base, schedule: '0 9 * * *', timezone: 'Asia/Shanghai', data: 'x' };
    expect(print(one)).toBe(print({ ...one, schedule: 'CRON_TZ=Asia/Shanghai 0 9 * * *', timezone: undefined }));
    expect(print(one)).not.toBe(print({ ...one, data: 'y' }));
    expect(print(one)).not.toBe(print({ ...one, sink: new URL('http://other/') }));
    expect(print(one)).not.toBe(print({ ...one, ceOverrides: { team: 'a' } }));
    expect(print({ ...base, data: 'eA==' })).not.toBe(print({ ...base, dataBase64: 'eA==' }));
  });
});

describe('decodeBase64 (Go StdEncoding)', () => {
  it('decodes padded standard base64 and ignores line breaks', () => {
    expect(Buffer.from(decodeBase64('aGVsbG8s\nIHdvcmxkIQ==') as Uint8Array).toString()).toBe('hello, world!');
    expect(decodeBase64('')).toEqual(new Uint8Array());
  });

  it.each(['aGVsbG8', 'aGV sbG8=', 'aGVs_bG8', '$$$$'])('refuses %j', (text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });
});
