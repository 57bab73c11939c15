import type { Env } from './env.ts';

/** The kind of each defined flag: string flags take a value, bool flags may stand alone. */
export type GoFlagKinds = Readonly<Record<string, 'string' | 'bool'>>;

/**
 * Command-line flags read the way Go's `flag` package parses them, for images that replace a Go
 * program whose container spec passes `args` (Knative's heartbeats ContainerSource sample passes
 * `--period=1`). Accepted forms, as `flag.Parse` accepts them: `-name=value`, `--name=value`,
 * `-name value`, `--name value`; bool flags also stand alone (`-v`) or take `=true`/`=false`.
 * Parsing stops at the first non-flag argument, at `-` and after `--`; a flag given twice keeps its
 * last value. Every problem (undefined flag, missing value, bad syntax) goes to `env`'s problem
 * list under the flag's name, so the process exits 78 with one message like bad env does.
 */
export class GoFlags {
  readonly #values = new Map<string, string>();
  /** The arguments after the flags (Go's `flag.Args()`). */
  readonly rest: readonly string[];

  constructor(args: readonly string[], kinds: GoFlagKinds, env: Env) {
    let index = 0;
    for (; index < args.length; index++) {
      const arg = args[index] ?? '';
      if (arg.length < 2 || !arg.startsWith('-')) break;
      if (arg === '--') {
        index++;
        break;
      }
      const body = arg.slice(arg.startsWith('--') ? 2 : 1);
      if (body === '' || body.startsWith('-') || body.startsWith('=')) {
        env.problem(arg, `bad flag syntax: ${arg}`);
        continue;
      }
      const eq = body.indexOf('=');
      const name = eq === -1 ? body : body.slice(0, eq);
      const inline = eq === -1 ? undefined : body.slice(eq + 1);
      const kind = Object.hasOwn(kinds, name) ? kinds[name] : undefined;
      if (kind === undefined) {
        env.problem(`-${name}`, `flag provided but not defined; known flags: ${known(kinds)}`);
        continue;
      }
      if (kind === 'bool') {
        const value = inline === undefined ? 'true' : goBool(inline);
        if (value === undefined) env.problem(`-${name}`, `invalid boolean value ${JSON.stringify(inline)}`);
        else this.#values.set(name, value);
        continue;
      }
      if (inline !== undefined) {
        this.#values.set(name, inline);
      } else if (index + 1 < args.length) {
        // As in Go, the next argument is the value even when it starts with `-`.
        this.#values.set(name, args[++index] ?? '');
      } else {
        env.problem(`-${name}`, 'flag needs an argument');
      }
    }
    this.rest = args.slice(index);
  }

  /** The value given on the command line (possibly empty), or undefined when the flag was not given. */
  string(name: string): string | undefined {
    return this.#values.get(name);
  }

  /** A bool flag: true/false when given, undefined otherwise. */
  bool(name: string): boolean | undefined {
    const value = this.#values.get(name);
    return value === undefined ? undefined : value === 'true';
  }
}

/** strconv.ParseBool's accepted spellings. */
function goBool(text: string): 'true' | 'false' | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return 'true';
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return 'false';
  return undefined;
}

function known(kinds: GoFlagKinds): string {
  const names = Object.keys(kinds).map((name) => `-${name}`);
  return names.length === 0 ? 'none' : names.join(', ');
}
