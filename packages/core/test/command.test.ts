import { describe, expect, it } from 'vitest';
import { EXIT_CONFIG, runAdapter, type Adapter } from '../src/index.ts';

/** An adapter with one one-shot command that records what it saw. */
function adapter(seen: string[], fail = false): Adapter<{ target: string | undefined }> {
  return {
    name: 'probe',
    config: (env, _runtime, args) => ({
      target: env.string('PROBE_TARGET', { required: args.includes('--remove') }),
    }),
    start: async () => {
      seen.push('started');
    },
    commands: {
      '--remove': async ({ config, signal }) => {
        seen.push(`removed ${config.target ?? ''} aborted=${signal.aborted}`);
        if (fail) throw new Error('upstream refused');
      },
    },
  };
}

async function run(env: Record<string, string>, args: string[], fail = false) {
  const seen: string[] = [];
  let code = -1;
  await runAdapter(adapter(seen, fail), {
    env: { LOG_LEVEL: 'error', ...env },
    args,
    exit: (c) => void (code = c),
  });
  return { code, seen };
}

describe('runAdapter with a one-shot command (node main.js --remove)', () => {
  it('runs the command instead of start, without K_SINK, and exits 0', async () => {
    expect(await run({ PROBE_TARGET: 'x' }, ['--remove'])).toEqual({
      code: 0,
      seen: ['removed x aborted=false'],
    });
  });

  it('exits 1 when the command throws', async () => {
    expect(await run({ PROBE_TARGET: 'x' }, ['--remove'], true)).toEqual({
      code: 1,
      seen: ['removed x aborted=false'],
    });
  });

  it('exits 78 when the config the command needs is missing', async () => {
    expect(await run({}, ['--remove'])).toEqual({ code: EXIT_CONFIG, seen: [] });
  });

  it('still needs K_SINK without the command', async () => {
    expect(await run({ PORT: '0', METRICS_PORT: '0' }, [])).toEqual({ code: EXIT_CONFIG, seen: [] });
  });
});
