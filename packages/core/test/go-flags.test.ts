import { describe, expect, it } from 'vitest';
import { Env, GoFlags, goUnquote } from '../src/index.ts';

const KINDS = { name: 'string', verbose: 'bool' } as const;

function parse(args: readonly string[]) {
  const env = new Env({});
  const flags = new GoFlags(args, KINDS, env);
  return { flags, problems: env.problems };
}

// Go's flag package (flag.FlagSet.parseOne): the forms it accepts and the errors it reports.
describe('GoFlags', () => {
  it.each([['-name=x'], ['--name=x'], ['-name', 'x'], ['--name', 'x']])('reads %j', (...args) => {
    expect(parse(args).flags.string('name')).toBe('x');
  });

  it('takes the next argument as the value even when it starts with -', () => {
    expect(parse(['-name', '-v']).flags.string('name')).toBe('-v');
  });

  it('keeps an empty value and a value containing =', () => {
    expect(parse(['--name=']).flags.string('name')).toBe('');
    expect(parse(['--name=a=b']).flags.string('name')).toBe('a=b');
  });

  it('reads bool flags alone or with strconv.ParseBool spellings', () => {
    expect(parse(['-verbose']).flags.bool('verbose')).toBe(true);
    expect(parse(['--verbose=F']).flags.bool('verbose')).toBe(false);
    expect(parse([]).flags.bool('verbose')).toBeUndefined();
    expect(parse(['--verbose=maybe']).problems).toEqual([{ variable: '-verbose', message: 'invalid boolean value "maybe"' }]);
  });

  it('stops at a non-flag, at "-" and after "--", keeping the rest', () => {
    expect(parse(['-name=a', 'file', '-name=b']).flags.rest).toEqual(['file', '-name=b']);
    expect(parse(['-', '-name=b']).flags.string('name')).toBeUndefined();
    const { flags } = parse(['--', '-name=b']);
    expect(flags.string('name')).toBeUndefined();
    expect(flags.rest).toEqual(['-name=b']);
  });

  it('reports undefined flags, bad syntax and a missing value, each under its name', () => {
    const { problems } = parse(['-other=1', '---name', '-=x', '-name']);
    expect(problems).toEqual([
      { variable: '-other', message: 'flag provided but not defined; known flags: -name, -verbose' },
      { variable: '---name', message: 'bad flag syntax: ---name' },
      { variable: '-=x', message: 'bad flag syntax: -=x' },
      { variable: '-name', message: 'flag needs an argument' },
    ]);
  });

  it('does not treat Object prototype names as defined flags', () => {
    expect(parse(['-constructor=x']).problems[0]?.variable).toBe('-constructor');
  });
});

// strconv.Unquote for double-quoted strings.
describe('goUnquote', () => {
  it.each([
    ['"hello"', 'hello'],
    ['""', ''],
    ['"a\\tb\\n"', 'a\tb\n'],
    ['"\\u00e9\\U0001F600"', 'é😀'],
    ['"\\x41\\101\\\\\\""', 'AA\\"'],
    ['"\\xc3\\xa9"', 'é'],
    ['"\\xff"', '\uFFFD'],
  ])('%s → %j', (quoted, text) => {
    expect(goUnquote(quoted)).toBe(text);
  });

  it.each([['"open'], ['"a"b"'], ['"\\q"'], ['"\\x4"'], ['"\\400"'], ['"\\ud800"'], ['"a\nb"'], ["'a'"], ['"']])(
    'rejects %j as Go does',
    (quoted) => {
      expect(goUnquote(quoted)).toBeUndefined();
    },
  );
});
