/**
 * CloudEvents HTTP binding 1.0 §3.1.3.2: a `ce-*` header value percent-encodes space (U+0020),
 * double quote (U+0022), percent (U+0025) and every character outside U+0021..U+007E, as the
 * UTF-8 bytes of the character. The `cloudevents` npm package and the Go and Java SDKs skip this,
 * so `comgitlabevent: Push Hook` would otherwise go out unencoded.
 */
const NEEDS_ENCODING = /[^\x21\x23\x24\x26-\x7e]/;

export function percentEncodeHeaderValue(value: string): string {
  // Fast path: almost every value is plain printable ASCII.
  if (!NEEDS_ENCODING.test(value)) return value;
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x21 && code <= 0x7e && code !== 0x22 && code !== 0x25) {
      out += char;
    } else {
      for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** The inverse, for receivers: `%XX` sequences decoded as UTF-8; a malformed sequence is kept as is. */
export function percentDecodeHeaderValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
