import { describe, expect, it } from 'vitest';
import { buildPingSource, type PingSource, type PingSourceInput } from '../../src/source.ts';
import { PING_TYPE, pingEvent, pingSourceUri } from '../../src/to-cloudevent.ts';
import { inputOf, knativeEventDisplay, knativePingSources } from './knative-fixtures.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const scheduled = Date.parse('2021-03-25T19:41:00Z');

function source(input: PingSourceInput): PingSource {
  const result = buildPingSource(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.source;
}

const manifests = knativePingSources();
const byName = (name: string) => source(inputOf(manifests.find((m) => m.metadata.name === name) ?? manifests[0]!));

describe('pingEvent against Knative fixtures', () => {
  it("matches the event Knative's docs show for test-ping-source, with time = the scheduled instant", () => {
    const expected = knativeEventDisplay();
    const event = pingEvent(byName('test-ping-source'), scheduled);
    expect(event.type).toBe(expected.attributes['type']);
    expect(event.source).toBe(expected.attributes['source']);
    expect(event.datacontenttype).toBe(expected.attributes['datacontenttype']);
    expect(event.id).toMatch(UUID);
    expect(event.time).toBe('2021-03-25T19:41:00.000Z');
    expect(JSON.parse(event.data as string)).toEqual(expected.data);
    expect(event.extensions).toBeUndefined();
    expect(event.subject).toBeUndefined();
  });

  it('loads every published manifest', () => {
    for (const manifest of manifests) expect(buildPingSource(inputOf(manifest)).ok, manifest.metadata.name).toBe(true);
  });

  it('sends data as written, byte for byte', () => {
    expect(pingEvent(byName('pingsource-00001'), scheduled).data).toBe('{"message": "Hello Eventing!"}');
  });

  it('decodes dataBase64 and sends the raw bytes with the given content type', () => {
    const text = pingEvent(byName('name-with-dash4'), scheduled);
    expect(Buffer.from(text.data as Uint8Array).toString('utf8')).toBe('hello, world!');
    expect(text.datacontenttype).toBe('text/plain');
    const json = pingEvent(byName('customname3'), scheduled);
    expect(json.data).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(Buffer.from(json.data as Uint8Array).toString('utf8'))).toEqual({ hello: 'world' });
  });

  it('sends no data and no datacontenttype when the source has no data (Knative: SetData only with data)', () => {
    const event = pingEvent(byName('name1with2numbers3'), scheduled);
    expect(event.data).toBeUndefined();
    expect(event.datacontenttype).toBeUndefined();
    const typeOnly = pingEvent(source({ namespace: 'ns', name: 'n', contentType: 'application/json' }), scheduled);
    expect(typeOnly.datacontenttype).toBeUndefined();
  });

  it('gives each tick its own UUID', () => {
    const ping = byName('test-ping-source');
    const ids = new Set(Array.from({ length: 50 }, () => pingEvent(ping, scheduled).id));
    expect(ids.size).toBe(50);
  });

  it('builds the source attribute as sourcesv1.PingSourceSource', () => {
    expect(pingSourceUri('default', 'name63-0123456789')).toBe('/apis/v1/namespaces/default/pingsources/name63-0123456789');
    expect(pingEvent(byName('with-timezone'), scheduled).type).toBe(PING_TYPE);
  });
});
