import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpError } from '@tributary/core';
import { anyHeaderString, fixturePath, headersFor, payloadBytes } from '@tributary/testkit';
import { decodeRequest } from '../src/decode/request.ts';
import type { DecodedEvent } from '../src/displayed-event.ts';

// Structured CloudEvents as Alibaba EventBridge sends them (the eventbridge package's fixtures), alone and in a batch.
const events = ['oss-putobject.cloudevent.json', 'oss-postobject-zone-time.cloudevent.json'].map(
  (name) => JSON.parse(readFileSync(fixturePath('eventbridge', name), 'utf8')) as unknown,
);
const seeds = [...events, events];

const request = fc.record({
  headers: headersFor({
    'content-type': fc.constantFrom(
      'application/cloudevents+json; charset=utf-8',
      'application/cloudevents-batch+json',
      'application/json',
      'text/plain; charset=utf-8',
      'application/octet-stream',
      'application/cloudevents+xml',
    ),
    'ce-specversion': fc.constantFrom('1.0', '0.3'),
    'ce-id': fc.oneof(fc.uuid(), anyHeaderString),
    'ce-source': fc.constantFrom('/s', '%E2%82%AC', '%zz'),
    'ce-type': fc.constantFrom('t', ''),
    'ce-time': fc.constantFrom('2024-01-01T00:00:00Z', 'yesterday'),
  }),
  body: payloadBytes(seeds),
});

/** What the page and the stream need: required attributes, scalar values, JSON-serializable data. */
function problems(event: DecodedEvent): string[] {
  const found: string[] = [];
  for (const name of ['specversion', 'id', 'source', 'type']) {
    if (typeof event.attributes[name] !== 'string') found.push(`${name} missing`);
  }
  for (const [name, value] of Object.entries(event.attributes)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) found.push(`${name} is ${typeof value}`);
  }
  if (event.data !== undefined && !['json', 'text', 'binary'].includes(event.data.kind))
    found.push('data kind');
  JSON.stringify(event);
  return found;
}

describe('display decodeRequest under any input', () => {
  it('answers with an HttpError or displayable events, never another exception', () => {
    fc.assert(
      fc.property(request, ({ headers, body }) => {
        let decoded: DecodedEvent[];
        try {
          decoded = decodeRequest(headers, body);
        } catch (error) {
          if (error instanceof HttpError) return;
          throw error;
        }
        for (const event of decoded) expect(problems(event)).toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });
});
