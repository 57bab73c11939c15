import { describe, expect, it } from 'vitest';
import { planCollections, type ResolvedResource, type SourceConfig } from '../../src/index.ts';

const resource = (plural: string, group: string, namespaced: boolean): ResolvedResource => ({
  spec: { at: 'resources[0]', group, version: 'v1', resource: plural, selector: 'app=web' },
  group,
  version: 'v1',
  apiVersion: group === '' ? 'v1' : `${group}/v1`,
  kind: 'X',
  plural,
  namespaced,
});
const source = (namespaces: string[], allNamespaces = false): SourceConfig => ({
  namespaces,
  allNamespaces,
  resources: [],
  owner: undefined,
  mode: 'Reference',
  filters: [],
  failFast: false,
});
const pods = resource('pods', '', true);
const widgets = resource('widgets', 'example.com', true);

describe('planCollections', () => {
  it('watches each namespace up to the limit', () => {
    const plan = planCollections([pods, widgets], source(['a', 'b']), 2);
    expect(plan.map((c) => [c.path, c.selector, c.namespaces])).toEqual([
      ['/api/v1/namespaces/a/pods', 'app=web', undefined],
      ['/api/v1/namespaces/b/pods', 'app=web', undefined],
      ['/apis/example.com/v1/namespaces/a/widgets', 'app=web', undefined],
      ['/apis/example.com/v1/namespaces/b/widgets', 'app=web', undefined],
    ]);
  });

  it('uses one filtered cluster-wide watch per resource above the limit, with a per-namespace fallback', () => {
    const plan = planCollections([pods], source(['a', 'b', 'c']), 2);
    expect(plan).toHaveLength(1);
    expect(plan[0]?.path).toBe('/api/v1/pods');
    expect([...(plan[0]?.namespaces ?? [])]).toEqual(['a', 'b', 'c']);
    expect(plan[0]?.fallback?.map((c) => c.path)).toEqual([
      '/api/v1/namespaces/a/pods',
      '/api/v1/namespaces/b/pods',
      '/api/v1/namespaces/c/pods',
    ]);
  });

  it('uses one unfiltered watch for allNamespaces and for cluster-scoped resources', () => {
    expect(
      planCollections([widgets], source([], true), 10).map((c) => [c.path, c.namespaces, c.fallback]),
    ).toEqual([['/apis/example.com/v1/widgets', undefined, undefined]]);
    expect(
      planCollections([resource('namespaces', '', false)], source(['a', 'b']), 10).map((c) => c.path),
    ).toEqual(['/api/v1/namespaces']);
  });
});
