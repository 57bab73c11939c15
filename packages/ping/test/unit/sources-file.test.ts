import { describe, expect, it } from 'vitest';
import { parseSourcesFile, type SourcesFile } from '../../src/sources-file.ts';

const K_SINK = new URL('http://broker.default.svc/');

function load(text: string, defaultSink: URL | null = K_SINK): SourcesFile {
  const result = parseSourcesFile(text, defaultSink ?? undefined);
  if (!result.ok) throw new Error(result.message);
  return result.file;
}

const yamlFile = `
# a ConfigMap key
- namespace: team-a
  name: nightly-report
  schedule: "0 2 * * *"
  timezone: Asia/Shanghai
  contentType: application/json
  data: '{"report": "nightly"}'
- namespace: team-b
  name: heartbeat
  schedule: "*/10 * * * * *"
  dataBase64: aGVsbG8=
  sink: http://team-b-broker.team-b.svc/
  ceOverrides:
    extensions:
      team: b
- namespace: team-c
  name: no-data
  timezone:
`;

describe('parseSourcesFile', () => {
  it('reads a YAML list of entries', () => {
    const file = load(yamlFile);
    expect(file.rejected).toEqual([]);
    expect(file.sources.map((s) => s.key)).toEqual(['team-a/nightly-report', 'team-b/heartbeat', 'team-c/no-data']);
    const [report, heartbeat, noData] = file.sources;
    expect(report?.schedule.timezone).toBe('Asia/Shanghai');
    expect(report?.data).toBe('{"report": "nightly"}');
    expect(heartbeat?.sink?.href).toBe('http://team-b-broker.team-b.svc/');
    expect(heartbeat?.ceOverrides).toEqual({ team: 'b' });
    expect(Buffer.from(heartbeat?.data as Uint8Array).toString()).toBe('hello');
    expect(noData?.schedule.expression).toBe('* * * * *');
    expect(noData?.schedule.timezone).toBe('UTC');
  });

  it('reads the same list written as JSON', () => {
    const json = JSON.stringify([{ namespace: 'team-a', name: 'x', schedule: '0 2 * * *', timezone: 'Asia/Shanghai' }]);
    expect(load(json).sources.map((s) => [s.key, s.schedule.timezone])).toEqual([['team-a/x', 'Asia/Shanghai']]);
  });

  it('rejects bad entries with their reasons and keeps the good ones', () => {
    const file = load(`
- { namespace: ok, name: first }
- { namespace: bad, name: schedule, schedule: "61 * * * *" }
- { namespace: bad, name: zone, timezone: Knative/Land }
- { namespace: bad, name: both, data: a, dataBase64: YQ== }
- { namespace: bad, name: json, contentType: application/json, data: "[1]" }
- { namespace: bad, name: typo, timeZone: Asia/Shanghai }
- { namespace: bad, name: sink, sink: "ftp://x/" }
- { namespace: bad, name: overrides, ceOverrides: { extensions: { id: x, Team: y, ok: z } } }
- { namespace: bad, name: number, data: 42, ceOverrides: { extensions: { n: 1 } } }
- just a string
- { namespace: ok, name: first }
- { namespace: ok, name: last }
`);
    expect(file.sources.map((s) => s.key)).toEqual(['ok/first', 'ok/last']);
    const reasons = Object.fromEntries(file.rejected.map((r) => [`${r.index}:${r.name ?? ''}`, r.problems]));
    expect(reasons).toEqual({
      '1:schedule': [{ field: 'schedule', message: expect.stringContaining('Invalid value for minute: 61') }],
      '2:zone': [{ field: 'timezone', message: expect.stringContaining('unknown time zone "Knative/Land"') }],
      '3:both': [{ field: 'dataBase64', message: expect.stringContaining('mutually exclusive') }],
      '4:json': [{ field: 'data', message: expect.stringContaining('must be a JSON object') }],
      '5:typo': [{ field: 'entry', message: expect.stringContaining('timeZone') }],
      '6:sink': [{ field: 'sink', message: expect.stringContaining('http or https') }],
      '7:overrides': [
        { field: 'ceOverrides.extensions.id', message: expect.stringContaining('core CloudEvents attribute') },
        { field: 'ceOverrides.extensions.Team', message: expect.stringContaining('[a-z0-9]+') },
      ],
      '8:number': [
        { field: 'data', message: expect.stringContaining('expected string') },
        { field: 'ceOverrides.extensions.n', message: expect.stringContaining('expected string') },
      ],
      '9:': [{ field: 'entry', message: expect.any(String) }],
      '10:first': [{ field: 'name', message: 'ok/first is already defined by entry 0' }],
    });
  });

  it('rejects entries without a sink when K_SINK is not set', () => {
    const file = load('[{"namespace":"a","name":"b"},{"namespace":"a","name":"c","sink":"http://x/"}]', null);
    expect(file.sources.map((s) => s.key)).toEqual(['a/c']);
    expect(file.rejected[0]?.problems).toEqual([{ field: 'sink', message: 'no sink: set sink on the entry or K_SINK' }]);
  });

  it('treats an empty file as no sources', () => {
    expect(load('').sources).toEqual([]);
    expect(load('# nothing yet\n').sources).toEqual([]);
  });

  it.each([
    ['a mapping', 'namespace: a\nname: b\n', 'must hold a list'],
    ['broken YAML', '- namespace: a\n  name: [b\n', 'cannot be parsed'],
    ['broken JSON', '[{"namespace": "a",]', 'cannot be parsed'],
  ])('fails as a whole on %s', (_what, text, message) => {
    const result = parseSourcesFile(text, K_SINK);
    expect(result.ok ? '' : result.message).toContain(message);
  });
});
