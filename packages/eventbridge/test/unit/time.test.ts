import { describe, expect, it } from 'vitest';
import { normalizeTime } from '../../src/time.ts';

describe('normalizeTime', () => {
  it.each([
    '2023-02-07T09:52:31.000Z',
    '2023-02-07T09:52:31Z',
    '2021-11-12t00:00:00z',
    '2020-08-17T16:04:46.149+08:00',
    '2016-12-31T23:59:60Z',
    '2017-01-01T07:59:60+08:00',
    '2024-02-29T00:00:00-05:30',
  ])('keeps the RFC 3339 time %s as written', (time) =>
    expect(normalizeTime(time)).toEqual({ ok: true, time }),
  );

  it.each([
    ['2020-08-17T16:04:46.149Asia/Shanghai', '2020-08-17T08:04:46.149Z'],
    ['2020-08-17T16:04:46.179PRC', '2020-08-17T08:04:46.179Z'],
    ['2021-01-01T03:00:00Asia/Shanghai', '2020-12-31T19:00:00Z'],
    ['2020-08-17T16:04:46.123456PRC', '2020-08-17T08:04:46.123456Z'],
  ])('converts Alibaba zone-named %s to UTC', (input, utc) => {
    expect(normalizeTime(input)).toEqual({ ok: true, time: utc });
  });

  it.each([
    '2020-08-17T16:04:46',
    '2020-08-17 16:04:46Z',
    '2020-08-17T16:04:46.149Europe/Berlin',
    '2023-02-30T00:00:00Z',
    '2023-13-01T00:00:00Z',
    '2023-02-07T24:00:00Z',
    '2023-02-07T09:52:60Z',
    '2023-02-07T09:52:31+24:00',
    '1612167546574',
    '',
  ])('refuses %j', (time) => {
    expect(normalizeTime(time).ok).toBe(false);
  });
});
