import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bundlePath } from '@tributary/testkit';

// `node packages/<x>/dist/main.js` on an older Node (the machines ship 20) must say so in one
// line, not fail inside a dependency and print the minified bundle. The preload makes this Node
// report itself as 20, which is exactly what the bundle's first statement reads.
const pretendNode20 = `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'20.20.2'})`;

describe('every bundle on a Node older than 24', () => {
  it.each(['heartbeat', 'ping', 'github', 'gitlab', 'eventbridge', 'sqs', 'apiserver', 'display'])(
    '%s prints one line naming the Node it needs and how to run it, and exits 1',
    (adapter) => {
      const run = spawnSync(process.execPath, ['--import', pretendNode20, bundlePath(adapter)], {
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '' },
        timeout: 20_000,
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('needs Node.js 24 or newer');
      expect(lines[0]).toContain(`npx node ${bundlePath(adapter)}`);
    },
  );
});
