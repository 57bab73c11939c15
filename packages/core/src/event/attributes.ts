/** CloudEvents 1.0 context attribute names that extensions and overrides may never use. */
export const CONTEXT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'id',
  'source',
  'specversion',
  'type',
  'datacontenttype',
  'dataschema',
  'subject',
  'time',
  'data',
  'data_base64',
]);

/** CloudEvents 1.0 §3.1.1: attribute names are lower-case ASCII letters and digits. */
export const EXTENSION_NAME = /^[a-z0-9]+$/;

/** True when a media type carries JSON (`application/json`, `application/x+json`, `text/json`). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return media === 'application/json' || media === 'text/json' || media.endsWith('+json');
}

/**
 * CloudEvents 1.0 §3.1.1 (Type System, String): no control characters (U+0000-U+001F,
 * U+007F-U+009F) and no lone surrogates. Adapters check values they copy from a payload into an
 * attribute with this, so a sender's odd string never makes an event a sink must refuse.
 */
export function isCloudEventString(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return value.isWellFormed();
}
