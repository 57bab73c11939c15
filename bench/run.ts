// `npm run bench` runs every benchmark in bench/*.ts; `npm run bench -- delivery ping` runs those named.
// Files with a dash (`apiserver-sink.ts`) are a benchmark's helpers, not benchmarks.
// Figures go to bench/results/<name>.md; `--write` also puts them into BENCHMARKS.md. `--quick` runs
// few short rounds, only to show each benchmark still works (the test suite does that for `idle`).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const all = readdirSync(dir)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.includes('-'))
  .map((file) => file.slice(0, -3))
  .sort();
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const env = {
  ...process.env,
  ...(flags.includes('--write') ? { BENCH_WRITE: '1' } : {}),
  ...(flags.includes('--quick') ? { BENCH_QUICK: '1' } : {}),
};
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n== bench ${name}`);
  const result = spawnSync(process.execPath, [`${dir}${name}.ts`], { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
