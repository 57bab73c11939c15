import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@tributary/testkit';

/**
 * The READMEs' `console` blocks are claims about what a command prints: each `$ VAR=value … npx node
 * <bundle> [args]` line is run from the repository root with only those variables (and PATH), and
 * what it prints must be exactly the lines that follow it in the block.
 */
interface Example {
  readonly file: string;
  readonly command: string;
  readonly expected: string;
}

function readmes(): string[] {
  const packages = readdirSync(join(repoRoot, 'packages')).map((name) => join('packages', name, 'README.md'));
  return ['README.md', 'deploy/README.md', ...packages].filter((file) => existsSync(join(repoRoot, file)));
}

function examples(file: string): Example[] {
  const found: Example[] = [];
  const blocks = readFileSync(join(repoRoot, file), 'utf8').matchAll(/^```console\n([\s\S]*?)^```/gm);
  for (const [, body = ''] of blocks) {
    for (const part of body.split(/^\$ /m).slice(1)) {
      const [command = '', ...output] = part.replace(/\n$/, '').split('\n');
      found.push({ file, command, expected: output.join('\n') });
    }
  }
  return found;
}

/** Words of a command line: bare, 'single-quoted' or "double-quoted" (no escapes needed in our docs). */
function words(line: string): string[] {
  return [...line.matchAll(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g)].map(([word]) => word.replace(/'([^']*)'|"([^"]*)"/g, '$1$2'));
}

function run(command: string): string {
  const parts = words(command);
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '' };
  while (parts[0] !== undefined && /^[A-Z_][A-Z0-9_]*=/.test(parts[0])) {
    const assignment = parts.shift() ?? '';
    const at = assignment.indexOf('=');
    env[assignment.slice(0, at)] = assignment.slice(at + 1);
  }
  if (parts[0] !== 'npx' || parts[1] !== 'node') throw new Error(`only "npx node <bundle>" examples can be checked: ${command}`);
  const result = spawnSync(process.execPath, parts.slice(2), { cwd: repoRoot, env, encoding: 'utf8', timeout: 20_000 });
  return `${result.stdout}${result.stderr}`.trimEnd();
}

const all = readmes().flatMap(examples);

describe('documented console examples', () => {
  it('exist (the top README shows a configuration error)', () => {
    expect(all.some((example) => example.file === 'README.md')).toBe(true);
  });
  it.each(all.map((example) => [`${example.file}: ${example.command}`, example] as const))('%s', (_name, example) => {
    expect(run(example.command)).toBe(example.expected);
  });
});
