import { describe, expect, it } from 'vitest';
import { KnownObjects, type Change, type KubeObject } from '../../src/index.ts';

const pod = (name: string, rv: string, uid = `uid-${name}`): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', uid, resourceVersion: rv },
});
const brief = (changes: Change[]) =>
  changes.map(
    (c) => `${c.type} ${c.object.metadata?.name}@${c.object.metadata?.resourceVersion} (${c.origin})`,
  );

describe('KnownObjects', () => {
  it('announces nothing for the first list unless asked to', () => {
    const quiet = new KnownObjects(JSON.stringify);
    expect(brief(quiet.listed(pod('a', '1'), true, false))).toEqual([]);
    const loud = new KnownObjects(JSON.stringify);
    expect(brief(loud.listed(pod('a', '1'), true, true))).toEqual(['add a@1 (initial)']);
  });

  it('turns a relist into the adds, updates and deletes missed in the gap', () => {
    const known = new KnownObjects(JSON.stringify);
    for (const p of [pod('same', '1'), pod('changed', '2'), pod('gone', '3'), pod('recreated', '4')])
      known.listed(p, true, false);

    const relisted = [
      pod('same', '1'),
      pod('changed', '9'),
      pod('recreated', '10', 'uid-new'),
      pod('new', '11'),
    ];
    const changes = relisted.flatMap((p) => known.listed(p, false, false));
    const gone = known.vanished(new Set(relisted.map((p) => `ns/${p.metadata?.name}`)));
    expect(brief([...changes, ...gone])).toEqual([
      'update changed@9 (relist)',
      'delete recreated@4 (relist)',
      'add recreated@10 (relist)',
      'add new@11 (relist)',
      'delete gone@3 (relist)',
    ]);
    // The delete found by the relist carries the last state seen.
    expect(gone[0]?.object).toEqual(pod('gone', '3'));
    expect(known.size).toBe(4);
  });

  it('ignores a replayed watch event and follows adds, updates and deletes', () => {
    const known = new KnownObjects(JSON.stringify);
    expect(brief(known.observe('ADDED', pod('a', '1')))).toEqual(['add a@1 (watch)']);
    expect(brief(known.observe('ADDED', pod('a', '1')))).toEqual([]);
    expect(brief(known.observe('MODIFIED', pod('a', '2')))).toEqual(['update a@2 (watch)']);
    expect(brief(known.observe('DELETED', pod('a', '3')))).toEqual(['delete a@3 (watch)']);
    expect(known.size).toBe(0);
    // A relist no longer mentions it: nothing more to announce.
    expect(known.vanished(new Set())).toEqual([]);
  });

  it('keeps only what the snapshot function chooses for deletes found by a relist', () => {
    const known = new KnownObjects((o) =>
      JSON.stringify({ kind: o.kind, metadata: { name: o.metadata?.name } }),
    );
    known.listed({ ...pod('a', '1'), spec: { big: 'x'.repeat(1000) } }, true, false);
    expect(known.vanished(new Set())[0]?.object).toEqual({ kind: 'Pod', metadata: { name: 'a' } });
  });
});
