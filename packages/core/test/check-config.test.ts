import { describe, expect, it } from 'vitest';
import { EXIT_CONFIG, runAdapter, type Adapter } from '../src/index.ts';

/** An adapter that must never start under a config check. */
function adapter(started: string[]): Adapter<{ label: string | undefined }> {
  return {
    name: 'probe',
    config: (env) => ({ label: env.string('PROBE_LABEL', { required: true }) }),
    start: async () => {
      started.push('started');
    },
  };
}

async function check(env: Record<string, string>) {
  const started: string[] = [];
  let code = -1;
  await runAdapter(adapter(started), { env, checkConfig: true, exit: (c) => void (code = c) });
  return { code, started };
}

describe('runAdapter with checkConfig (node main.js --check-config)', () => {
  it('exits 0 on a valid configuration without starting the adapter', async () => {
    expect(
      await check({ K_SINK: 'http://127.0.0.1:9/', PROBE_LABEL: 'x', PORT: '0', METRICS_PORT: '0' }),
    ).toEqual({
      code: 0,
      started: [],
    });
  });

  it('exits 78 on a bad one, core and adapter problems together', async () => {
    expect(await check({ K_SINK_TIMEOUT: 'soon' })).toEqual({ code: EXIT_CONFIG, started: [] });
  });
});
