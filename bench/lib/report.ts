// Writes one benchmark's section: always to bench/results/NAME.md (not committed), and into
// BENCHMARKS.md between `<!-- bench:NAME -->` markers only when asked (`--write`), so a run on a
// busy or different machine never silently replaces the recorded figures.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const FILE = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));
const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

/** `--write` on the command line (or BENCH_WRITE=1, which `npm run bench -- --write` sets). */
export const WRITE = process.argv.includes('--write') || process.env['BENCH_WRITE'] === '1';
/** `--quick` (or BENCH_QUICK=1): few short rounds, to check a benchmark still runs; figures mean nothing. */
export const QUICK = process.argv.includes('--quick') || process.env['BENCH_QUICK'] === '1';

/** The command-line arguments that are not `--write`/`--quick`. */
export function positionalArgs(): string[] {
  return process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
}
const HEADER = `# Benchmarks

Each section is written by its benchmark (\`npm run bench -- <name>\`, or \`npm run bench\` for all) and
records the machine and command it ran with. Figures are medians of alternating repeated runs unless a
section says otherwise; the baselines run in the same process run, side by side.
`;

/** The load average now, for the record: a figure taken on a busy machine is not one to compare. */
export function loadLine(): string {
  const [one, five, fifteen] = loadavg();
  return `load average ${one?.toFixed(2)} / ${five?.toFixed(2)} / ${fifteen?.toFixed(2)}`;
}

export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${loadLine()} at the end`;
}

export function writeSection(name: string, markdown: string): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}${name}.md`, `${markdown.trim()}\n`);
  if (!WRITE || QUICK) {
    console.log(`bench ${name}: figures in bench/results/${name}.md (BENCHMARKS.md only with --write)`);
    return;
  }
  const text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next = from !== -1 && to > from ? text.slice(0, from) + block + text.slice(to + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(FILE, next);
}

/** Median of numbers (the middle value; mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Percentile (0..100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function markdownTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `median (min–max)` of a series, with `digits` decimals: a figure is a range. */
export function medianRange(values: readonly number[], digits = 1): string {
  if (values.length === 0) return 'n/a';
  const fmt = (value: number) => value.toFixed(digits);
  return `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
}
