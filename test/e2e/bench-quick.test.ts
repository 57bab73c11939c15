import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bundlePath, repoRoot } from '@tributary/testkit';

// Benchmarks are not run for figures in the test suite, but one that no longer runs is a finding
// too late: `--quick` runs the idle benchmark in one short round against every built bundle and
// the test checks it produced a row for each, without looking at any figure.
describe('npm run bench -- --quick idle', () => {
  it('runs every adapter and the bare baseline, and leaves BENCHMARKS.md alone', async () => {
    for (const adapter of ['heartbeat', 'ping', 'github', 'gitlab', 'eventbridge', 'display', 'apiserver', 'sqs'])
      bundlePath(adapter);
    const before = readFileSync(join(repoRoot, 'BENCHMARKS.md'), 'utf8');
    await promisify(execFile)(process.execPath, [join(repoRoot, 'bench', 'run.ts'), '--quick', 'idle'], {
      cwd: repoRoot,
      timeout: 240_000,
    });
    const results = readFileSync(join(repoRoot, 'bench', 'results', 'idle.md'), 'utf8');
    for (const name of ['bare node:http', 'heartbeat', 'ping', 'github', 'gitlab', 'eventbridge', 'display', 'apiserver', 'sqs'])
      expect(results).toMatch(new RegExp(`^\\| ${name} \\| \\d+ \\(`, 'm'));
    expect(readFileSync(join(repoRoot, 'BENCHMARKS.md'), 'utf8')).toBe(before);
  }, 300_000);
});
