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
