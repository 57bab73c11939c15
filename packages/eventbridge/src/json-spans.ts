/**
 * Where values sit in a JSON text that `JSON.parse` has already accepted. An event's `data` is
 * forwarded as its original text rather than re-serialized, so it stays the same JSON value byte
 * for byte: `JSON.parse` would round 12345678901234567890 and rewrite 1.0 as 1.
 */
export interface Span {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipSpace(text: string, index: number): number {
  let i = index;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** End of the string literal whose opening quote is at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i + 1;
  }
  throw new SyntaxError('unterminated string');
}

/** End of the value that starts at `start`. */
export function valueEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return stringEnd(text, start);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === QUOTE) i = stringEnd(text, i) - 1;
      else if (code === OPEN_OBJECT || code === OPEN_ARRAY) depth++;
      else if ((code === CLOSE_OBJECT || code === CLOSE_ARRAY) && --depth === 0) return i + 1;
    }
    throw new SyntaxError('unterminated object or array');
  }
  let i = start;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === COMMA || code === CLOSE_OBJECT || code === CLOSE_ARRAY || isSpace(code)) break;
    i++;
  }
  return i;
}

/** The document's top-level value, without surrounding whitespace. */
export function topLevelSpan(text: string): Span {
  const start = skipSpace(text, 0);
  return { start, end: valueEnd(text, start) };
}

/** The members of the object at `object`; a repeated key keeps its last value, as `JSON.parse` does. */
export function memberSpans(text: string, object: Span): Map<string, Span> {
  const members = new Map<string, Span>();
  let i = skipSpace(text, object.start + 1);
  if (text.charCodeAt(i) === CLOSE_OBJECT) return members;
  for (;;) {
    const keyEnd = stringEnd(text, i);
    const raw = text.slice(i + 1, keyEnd - 1);
    const key = raw.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw;
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const end = valueEnd(text, valueStart);
    members.set(key, { start: valueStart, end });
    i = skipSpace(text, end);
    if (text.charCodeAt(i) !== COMMA) return members;
    i = skipSpace(text, i + 1);
  }
}

/** The elements of the array at `array`. */
export function elementSpans(text: string, array: Span): Span[] {
  const elements: Span[] = [];
  let i = skipSpace(text, array.start + 1);
  if (text.charCodeAt(i) === CLOSE_ARRAY) return elements;
  for (;;) {
    const end = valueEnd(text, i);
    elements.push({ start: i, end });
    i = skipSpace(text, end);
    if (text.charCodeAt(i) !== COMMA) return elements;
    i = skipSpace(text, i + 1);
  }
}
