import type { Message } from '@aws-sdk/client-sqs';
import type { TraceCarrier } from '@tributary/core';

/**
 * The trace a message was sent in, for the consumer span that delivers it: a W3C `traceparent`
 * (and `tracestate`) message attribute, as OpenTelemetry's SQS instrumentation sets them; else the
 * `AWSTraceHeader` system attribute that SQS fills from the sender's X-Ray context.
 */
export function messageTraceContext(message: Message): TraceCarrier | undefined {
  const attributes = message.MessageAttributes;
  const traceparent = attributes?.['traceparent']?.StringValue;
  if (traceparent !== undefined) return { traceparent, tracestate: attributes?.['tracestate']?.StringValue };
  const xray = message.Attributes?.['AWSTraceHeader'];
  const converted = xray === undefined ? undefined : traceparentFromXRay(xray);
  return converted === undefined ? undefined : { traceparent: converted };
}

const XRAY_ROOT = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/i;
const XRAY_PARENT = /^[0-9a-f]{16}$/i;

/**
 * An X-Ray trace header (`Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`,
 * AWS X-Ray developer guide, "Tracing header") as a W3C traceparent: the root's epoch and random
 * parts make the 32-hex trace id, `Parent` the span id, `Sampled=1` the sampled flag; what has no
 * root or parent (a header from a segment that did not record one) gives undefined.
 */
export function traceparentFromXRay(header: string): string | undefined {
  const fields = new Map<string, string>();
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim().toLowerCase(), part.slice(equals + 1).trim());
  }
  const root = XRAY_ROOT.exec(fields.get('root') ?? '');
  const parent = fields.get('parent') ?? '';
  if (root === null || !XRAY_PARENT.test(parent)) return undefined;
  const traceId = `${root[1]}${root[2]}`.toLowerCase();
  if (/^0+$/.test(traceId) || /^0+$/.test(parent)) return undefined;
  return `00-${traceId}-${parent.toLowerCase()}-${fields.get('sampled') === '1' ? '01' : '00'}`;
}
