import { isJsonMediaType } from '@tributary/core';
import type { EventData } from '../displayed-event.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });
/** C0 controls other than tab, line feed and carriage return (and DEL) mark bytes that are not text. */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return true;
  }
  return false;
}

/** The request's bytes as text, or undefined when they are not printable UTF-8. */
function asText(bytes: Uint8Array): string | undefined {
  try {
    const text = decoder.decode(bytes);
    return hasControlCharacters(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

/**
 * Shows data bytes the way a person wants to read them: JSON parsed (for pretty-printing) when
 * the content type says JSON, text when the bytes are printable UTF-8, base64 otherwise.
 */
export function decodeDataBytes(
  bytes: Uint8Array,
  contentType: string | undefined,
  warnings: string[],
): EventData {
  const text = asText(bytes);
  if (text !== undefined && isJsonMediaType(contentType)) {
    try {
      return { kind: 'json', value: JSON.parse(text) as unknown };
    } catch {
      warnings.push(`datacontenttype is ${contentType} but the data is not valid JSON`);
    }
  }
  if (text !== undefined) return { kind: 'text', value: text };
  return { kind: 'binary', base64: Buffer.from(bytes).toString('base64'), size: bytes.byteLength };
}

/**
 * JSON event format §3.1: `data` is JSON when `datacontenttype` is absent or a JSON type;
 * a string under any other content type is that text.
 */
export function decodeJsonFormatData(data: unknown, contentType: string | undefined): EventData {
  if (typeof data === 'string' && contentType !== undefined && !isJsonMediaType(contentType)) {
    return { kind: 'text', value: data };
  }
  return { kind: 'json', value: data };
}
