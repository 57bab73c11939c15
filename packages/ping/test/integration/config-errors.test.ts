import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapterEnv, bundlePath, startProcess } from '@tributary/testkit';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'ping-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Runs the bundle with a bad configuration; it must exit 78 before doing anything. */
async function refuse(extra: Record<string, string>): Promise<string> {
  const env = await adapterEnv('http://127.0.0.1:9/', { NAMESPACE: 'default', NAME: 'ping', ...extra });
  const proc = startProcess(bundlePath('ping'), env);
  const exit = await proc.exited;
  expect(exit.code).toBe(78);
  expect(proc.logs.some((line) => line['msg'] === 'starting')).toBe(false);
  return proc.stderr();
}

describe('ping bundle refuses a bad configuration (exit 78, naming each problem)', () => {
  it.each([
    ['an invalid schedule', { PING_SCHEDULE: '61 * * * *' }, 'PING_SCHEDULE: "61 * * * *" is not a valid cron expression: Invalid value for minute: 61'],
    ['an unknown zone', { PING_TIMEZONE: 'Knative/Land' }, 'PING_TIMEZONE: unknown time zone "Knative/Land"'],
    ['both data fields', { PING_DATA: 'a', PING_DATA_BASE64: 'YQ==' }, 'PING_DATA_BASE64: PING_DATA and PING_DATA_BASE64 are mutually exclusive'],
    ['JSON data that is not an object', { PING_CONTENT_TYPE: 'application/json', PING_DATA: '["a"]' }, 'PING_DATA: must be a JSON object'],
    ['a missing K_SINK', { K_SINK: '' }, 'K_SINK: required but not set'],
  ])('%s', async (_what, extra, message) => {
    expect(await refuse(extra)).toContain(message);
  });

  it('reports every problem in one message', async () => {
    const stderr = await refuse({ PING_SCHEDULE: '61 * * * *', PING_TIMEZONE: 'Knative/Land', PING_DATA: 'a', PING_DATA_BASE64: 'YQ==' });
    expect(stderr).toContain('invalid configuration (3 problems)');
    for (const variable of ['PING_SCHEDULE', 'PING_TIMEZONE', 'PING_DATA_BASE64']) expect(stderr).toContain(`  - ${variable}: `);
  });

  it('refuses a sources file that cannot be parsed at all', async () => {
    const stderr = await refuse({ PING_SOURCES_FILE: file('broken.yaml', '- namespace: a\n  name: [b\n') });
    expect(stderr).toContain('PING_SOURCES_FILE: ');
    expect(stderr).toContain('cannot be parsed as JSON or YAML');
  });

  it('refuses a sources file that is not a list, or is missing', async () => {
    expect(await refuse({ PING_SOURCES_FILE: file('map.yaml', 'namespace: a\n') })).toContain('must hold a list of ping sources');
    expect(await refuse({ PING_SOURCES_FILE: join(dir, 'absent.yaml') })).toContain('ENOENT');
  });

});
