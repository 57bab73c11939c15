const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  '\\': 0x5c,
  '"': 0x22,
};
const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/**
 * Go's `strconv.Unquote` for a double-quoted string (`"a\tb"`, `"\u00e9"`, `"\x41"`, `"\101"`):
 * the text Knative's heartbeats sample makes of a `--label` that starts with `"`. Returns undefined
 * where Go returns an error (no closing quote, a bare `"` or newline inside, an unknown escape).
 * `\x` and octal escapes are raw bytes, as in Go; bytes that are not UTF-8 become U+FFFD, which is
 * what Go's JSON encoder then sends.
 */
export function goUnquote(quoted: string): string | undefined {
  if (quoted.length < 2 || !quoted.startsWith('"') || !quoted.endsWith('"')) return undefined;
  const body = quoted.slice(1, -1);
  if (body.includes('\n')) return undefined;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < body.length; ) {
    const char = String.fromCodePoint(body.codePointAt(i) ?? 0);
    i += char.length;
    if (char === '"') return undefined;
    if (char !== '\\') {
      bytes.push(...encoder.encode(char));
      continue;
    }
    const escape = body[i++] ?? '';
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) {
      bytes.push(simple);
    } else if (escape in HEX_DIGITS) {
      const digits = body.slice(i, i + (HEX_DIGITS[escape] ?? 0));
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== HEX_DIGITS[escape]) return undefined;
      i += digits.length;
      const value = Number.parseInt(digits, 16);
      if (escape === 'x') bytes.push(value);
      else if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return undefined;
      else bytes.push(...encoder.encode(String.fromCodePoint(value)));
    } else if (/^[0-7]$/.test(escape)) {
      const digits = escape + body.slice(i, i + 2);
      if (!/^[0-7]{3}$/.test(digits) || Number.parseInt(digits, 8) > 0xff) return undefined;
      i += 2;
      bytes.push(Number.parseInt(digits, 8));
    } else {
      return undefined;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
