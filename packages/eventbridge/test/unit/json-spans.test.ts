import { describe, expect, it } from 'vitest';
import { elementSpans, memberSpans, topLevelSpan } from '../../src/json-spans.ts';

const slice = (text: string, span: { start: number; end: number } | undefined) =>
  span ? text.slice(span.start, span.end) : undefined;

describe('json spans', () => {
  it('finds each member value as written, past strings holding braces, quotes and escapes', () => {
    const text =
      ' { "a" : "x}\\"{]" , "data":{"n":12345678901234567890,"f":1.0,"s":"}"} ,"b":[1, {"c":"]"}], "z" : true } ';
    const members = memberSpans(text, topLevelSpan(text));
    expect([...members.keys()]).toEqual(['a', 'data', 'b', 'z']);
    expect(slice(text, members.get('a'))).toBe('"x}\\"{]"');
    expect(slice(text, members.get('data'))).toBe('{"n":12345678901234567890,"f":1.0,"s":"}"}');
    expect(slice(text, members.get('b'))).toBe('[1, {"c":"]"}]');
    expect(slice(text, members.get('z'))).toBe('true');
  });

  it('decodes escaped keys and keeps the last of repeated keys, as JSON.parse does', () => {
    const text = '{"d\\u0061ta":1,"data":2}';
    const members = memberSpans(text, topLevelSpan(text));
    expect(slice(text, members.get('data'))).toBe('2');
    expect(JSON.parse(text).data).toBe(2);
  });

  it('splits arrays into elements, including empty ones', () => {
    const text = '[ {"id":"1"} ,\n"two", -1.5e3 ,null,[]]';
    expect(elementSpans(text, topLevelSpan(text)).map((span) => slice(text, span))).toEqual([
      '{"id":"1"}',
      '"two"',
      '-1.5e3',
      'null',
      '[]',
    ]);
    expect(elementSpans('[]', topLevelSpan('[]'))).toEqual([]);
    expect(memberSpans('{ }', topLevelSpan('{ }')).size).toBe(0);
  });
});
