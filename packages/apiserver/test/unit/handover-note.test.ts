import { describe, expect, it } from 'vitest';
import {
  collectionKey,
  decodeHandoverNote,
  encodeHandoverNote,
  HandoverNoteError,
  MAX_NOTE_BYTES,
} from '../../src/handover-note.ts';

const versions = (count: number) =>
  new Map<string, string>(
    Array.from({ length: count }, (_, i) => [`/api/v1/namespaces/team-${i}/pods`, String(1_000_000 + i * 7)]),
  );

describe('handover note', () => {
  it('is small readable JSON for a few collections, and decodes to the same versions', () => {
    const input = new Map([
      ['/api/v1/namespaces/team-a/pods', '48213'],
      ['/apis/apps/v1/deployments?app=web', '48190'],
    ]);
    const { note, omitted } = encodeHandoverNote(input);
    expect(note).toBe(
      '{"v":1,"rv":{"/api/v1/namespaces/team-a/pods":"48213","/apis/apps/v1/deployments?app=web":"48190"}}',
    );
    expect(omitted).toBe(0);
    expect(decodeHandoverNote(note)).toEqual(input);
  });

  it('deflates a large note (thousands of per-namespace watches) and still decodes it', () => {
    const input = versions(3000);
    const { note, omitted } = encodeHandoverNote(input);
    expect(note.startsWith('z1:')).toBe(true);
    expect(Buffer.byteLength(note)).toBeLessThan(JSON.stringify(Object.fromEntries(input)).length / 3);
    expect(omitted).toBe(0);
    expect(decodeHandoverNote(note)).toEqual(input);
  });

  it('leaves out the collections that do not fit, and says how many', () => {
    // Random versions do not compress: far more than MAX_NOTE_BYTES.
    const input = new Map<string, string>(
      Array.from({ length: 6000 }, (_, i) => [`/api/v1/namespaces/ns-${i}/pods`, crypto.randomUUID()]),
    );
    const { note, omitted } = encodeHandoverNote(input);
    expect(Buffer.byteLength(note)).toBeLessThanOrEqual(MAX_NOTE_BYTES);
    expect(omitted).toBeGreaterThan(0);
    const decoded = decodeHandoverNote(note);
    expect(decoded.size).toBe(input.size - omitted);
    for (const [key, version] of decoded) expect(input.get(key)).toBe(version);
  });

  it('an empty note (nothing delivered yet anywhere) round-trips', () => {
    const { note } = encodeHandoverNote(new Map());
    expect(decodeHandoverNote(note).size).toBe(0);
  });

  it.each([
    ['not JSON', 'last-tick=2024-01-01'],
    ['another writer', '{"lastTick":"2024-01-01T00:00:00Z"}'],
    ['a future version', '{"v":2,"rv":{}}'],
    ['no versions', '{"v":1}'],
    ['a number for a version', '{"v":1,"rv":{"/api/v1/pods":48213}}'],
    ['an empty version', '{"v":1,"rv":{"/api/v1/pods":""}}'],
    ['broken deflate', 'z1:AAAA'],
  ])('refuses %s', (_what, note) => {
    expect(() => decodeHandoverNote(note)).toThrow(HandoverNoteError);
  });

  it('keys a collection by path, plus its label selector when it has one', () => {
    expect(collectionKey({ path: '/api/v1/namespaces/a/pods', selector: '' })).toBe(
      '/api/v1/namespaces/a/pods',
    );
    expect(collectionKey({ path: '/api/v1/pods', selector: 'app=web,tier in (a,b)' })).toBe(
      '/api/v1/pods?app=web,tier in (a,b)',
    );
  });
});
