import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { messageTraceContext, traceparentFromXRay } from '../../src/trace-context.ts';

// The tracing header example of the AWS X-Ray Developer Guide ("Tracing header").
const XRAY = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('traceparentFromXRay', () => {
  it('turns the root into the trace id, Parent into the span id and Sampled into the flag', () => {
    expect(traceparentFromXRay(XRAY)).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01');
    expect(traceparentFromXRay('Root=1-5759E988-BD862E3FE1BE46A994272793;Parent=53995C3F42CD8AD8;Sampled=0')).toBe(
      '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00',
    );
    expect(traceparentFromXRay('Sampled=?; Parent=53995c3f42cd8ad8; Root=1-5759e988-bd862e3fe1be46a994272793; Lineage=a87bd80c:1')).toBe(
      '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00',
    );
  });

  it('gives undefined for a header without a usable root or parent', () => {
    expect(traceparentFromXRay('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1')).toBeUndefined();
    expect(traceparentFromXRay('Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8')).toBeUndefined();
    expect(traceparentFromXRay('Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8')).toBeUndefined();
    expect(traceparentFromXRay('not a header')).toBeUndefined();
  });
});

describe('messageTraceContext', () => {
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  it('prefers the traceparent/tracestate message attributes', () => {
    const message: Message = {
      MessageAttributes: {
        traceparent: { DataType: 'String', StringValue: traceparent },
        tracestate: { DataType: 'String', StringValue: 'congo=t61rcWkgMzE' },
      },
      Attributes: { AWSTraceHeader: XRAY },
    };
    expect(messageTraceContext(message)).toEqual({ traceparent, tracestate: 'congo=t61rcWkgMzE' });
  });

  it('falls back to the AWSTraceHeader system attribute', () => {
    expect(messageTraceContext({ Attributes: { AWSTraceHeader: XRAY } })).toEqual({
      traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
    });
  });

  it('is undefined for a message without context', () => {
    expect(messageTraceContext({ Body: 'x', Attributes: { SentTimestamp: '1' } })).toBeUndefined();
  });
});
