import type { Logger } from '@tributary/core';
import type { RefusedRequest } from './event-store.ts';
import type { LogFormat } from './config.ts';
import {
  CORE_ATTRIBUTES,
  type AttributeValue,
  type DisplayedEvent,
  type EventData,
} from './displayed-event.ts';

const PREVIEW_CHARS = 200;
const PLAIN = /^[\x21\x23-\x7e]*$/;

/** A value as a `key=value` token: bare when it is plain printable ASCII, JSON-quoted otherwise. */
function token(value: AttributeValue): string {
  const text = String(value);
  return typeof value === 'string' && !PLAIN.test(text) ? JSON.stringify(text) : text;
}

function preview(data: EventData): string {
  let text: string;
  if (data.kind === 'json') text = JSON.stringify(data.value);
  else if (data.kind === 'text') text = JSON.stringify(data.value);
  else return `<${data.size} bytes>`;
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

/**
 * One readable line per event, as Knative's event_display prints an event but on one line so
 * `kubectl logs | grep` works: the type first, then the identifying attributes, the extensions
 * and a preview of the data. Values that could break the line are JSON-quoted.
 */
export function eventLine(event: DisplayedEvent): string {
  const { attributes } = event;
  const parts = [`☁ ${token(attributes['type'] ?? '')}`];
  for (const name of ['source', 'subject', 'id', 'time']) {
    const value = attributes[name];
    if (value !== undefined) parts.push(`${name}=${token(value)}`);
  }
  for (const [name, value] of Object.entries(attributes)) {
    if (!CORE_ATTRIBUTES.includes(name)) parts.push(`${name}=${token(value)}`);
  }
  if (event.data !== undefined) parts.push(`data=${preview(event.data)}`);
  for (const warning of event.warnings) parts.push(`warning=${JSON.stringify(warning)}`);
  return parts.join('  ');
}

/** Prints each event as a line of text, or as one JSON log line with `LOG_FORMAT=json`. */
export function eventPrinter(
  format: LogFormat,
  logger: Logger,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): (event: DisplayedEvent) => void {
  if (format === 'json') return (event) => logger.info({ event }, 'event received');
  return (event) => write(eventLine(event));
}

/** One line per refused request, beside the event lines: who refused it, the status and why. */
export function refusedLine(refused: RefusedRequest): string {
  return `✗ refused by ${refused.by}  status=${refused.status}  code=${refused.code}  reason=${JSON.stringify(refused.reason)}`;
}
