/**
 * The event an adapter hands to `emit`. Plain, immutable data: the wire format (binary or
 * structured, percent-encoded headers, overrides) is core's business.
 *
 * `data` is either the payload as it should travel (a `Uint8Array` of bytes or a `string` of
 * text, sent untouched: GitHub's raw body stays byte-identical) or any other JSON value, which
 * core serializes. A string or byte payload whose `datacontenttype` is JSON must already be a
 * JSON document: in structured mode it is embedded as is, without being parsed again.
 */
export type ExtensionValue = string | number | boolean;
export type Extensions = Readonly<Record<string, ExtensionValue>>;

export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface CloudEvent {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string | undefined;
  /** RFC 3339. When absent core stamps the send time, as Knative's client does (`WithTimeNow`). */
  readonly time?: string | undefined;
  readonly datacontenttype?: string | undefined;
  readonly dataschema?: string | undefined;
  readonly data?: Uint8Array | JsonValue | undefined;
  /** CloudEvents extension attributes: names `[a-z0-9]+`, values string, integer or boolean. */
  readonly extensions?: Extensions | undefined;
}

/** What an adapter emits, for the event registry (`registry.knative.dev/eventTypes`, docs/contracts.md §9). */
export interface EventTypeInfo {
  readonly type: string;
  readonly description: string;
  readonly schema?: string;
  /** The CloudEvents `source` when it is the same for every event of the type (`acs.oss`). */
  readonly source?: string;
  /**
   * Values of the adapter's type filter that make it emit this type (a GitLab hook flag and type
   * suffix, an SQS processor, an ApiServerSource mode). A filter also selects a type by its name.
   * Charts use it to register exactly the types a release can emit.
   */
  readonly selectedBy?: readonly string[];
}
