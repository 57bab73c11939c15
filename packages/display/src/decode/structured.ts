import type { AttributeValue, DecodedEvent, EventData, ReceivedMode } from '../displayed-event.ts';
import { checkAttributes, invalid } from './attributes.ts';
import { decodeDataBytes, decodeJsonFormatData } from './data.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * JSON event format (structured mode, HTTP binding §3.2, and each member of a batch, §3.3):
 * attributes are top-level members, `data` or `data_base64` (never both) carries the data.
 * A member whose value is null counts as unset (JSON format §2).
 */
export function decodeStructured(envelope: unknown, mode: ReceivedMode, where = ''): DecodedEvent {
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    throw invalid(`${where}a structured event must be a JSON object`);
  }
  const { data, data_base64: base64, ...members } = envelope as Record<string, unknown>;
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(members)) {
    if (value === null) continue;
    if (
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isInteger(value))
    ) {
      attributes[name] = value;
    } else {
      throw invalid(`${where}attribute ${JSON.stringify(name)} must be a string, an integer or a boolean`);
    }
  }
  const warnings = checkAttributes(attributes, where);
  const contentType = attributes['datacontenttype'] as string | undefined;
  return { mode, attributes, data: structuredData(data, base64, contentType, warnings, where), warnings };
}

function structuredData(
  data: unknown,
  base64: unknown,
  contentType: string | undefined,
  warnings: string[],
  where: string,
): EventData | undefined {
  const hasData = data !== undefined && data !== null;
  const hasBase64 = base64 !== undefined && base64 !== null;
  if (hasData && hasBase64) throw invalid(`${where}data and data_base64 are both set`);
  if (hasBase64) {
    if (typeof base64 !== 'string' || !BASE64.test(base64))
      throw invalid(`${where}data_base64 is not base64`);
    return decodeDataBytes(Buffer.from(base64, 'base64'), contentType, warnings);
  }
  return hasData ? decodeJsonFormatData(data, contentType) : undefined;
}
