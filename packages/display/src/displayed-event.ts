/**
 * What the display keeps of an event and sends to the page. Plain JSON: the same shape travels
 * in `GET /api/events`, in the server-sent event stream and in `LOG_FORMAT=json` lines.
 */

/** The HTTP binding content mode the event arrived in (CloudEvents HTTP binding §3). */
export type ReceivedMode = 'binary' | 'structured' | 'batch';

export type AttributeValue = string | number | boolean;

/** Data as the page shows it: parsed JSON, text, or bytes (base64) that are not text. */
export type EventData =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'binary'; readonly base64: string; readonly size: number };

/** One event as decoded from a request, before the store numbers it. */
export interface DecodedEvent {
  readonly mode: ReceivedMode;
  /** Context attributes and extensions (everything but data), values as received. */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly data: EventData | undefined;
  /** What a strict receiver might refuse but the display shows anyway (e.g. a non-RFC 3339 time). */
  readonly warnings: readonly string[];
}

export interface DisplayedEvent extends DecodedEvent {
  /** Increases by one per event received; the page's key and the stream's event id. */
  readonly seq: number;
  /** RFC 3339 time the display received the event. */
  readonly receivedAt: string;
}

/** Attributes shown in their own column rather than among the extensions. */
export const CORE_ATTRIBUTES: readonly string[] = [
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
];
