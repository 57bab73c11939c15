import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '@tributary/core';
import { passesFilters } from '../../src/index.ts';

const event: CloudEvent = {
  id: '1',
  source: 'https://10.96.0.1:443',
  type: 'dev.knative.apiserver.resource.update',
  subject: '/apis/v1/namespaces/prod/pods/web-1',
  extensions: { kind: 'Pod', apiversion: 'v1', name: 'web-1', namespace: 'prod' },
};

describe('passesFilters (Subscriptions API dialects)', () => {
  it('passes with no filters', () => {
    expect(passesFilters([], event)).toBe(true);
  });

  it.each([
    [{ exact: { type: 'dev.knative.apiserver.resource.update' } }, true],
    [{ exact: { namespace: 'dev' } }, false],
    [{ exact: { missing: 'x' } }, false],
    [{ prefix: { subject: '/apis/v1/namespaces/prod/' } }, true],
    [{ suffix: { type: '.delete' } }, false],
    [{ all: [{ exact: { kind: 'Pod' } }, { prefix: { name: 'web-' } }] }, true],
    [{ all: [{ exact: { kind: 'Pod' } }, { prefix: { name: 'db-' } }] }, false],
    [{ any: [{ exact: { kind: 'Service' } }, { suffix: { name: '-1' } }] }, true],
    [{ any: [{ exact: { kind: 'Service' } }, { suffix: { name: '-2' } }] }, false],
    [{ not: { exact: { namespace: 'kube-system' } } }, true],
    [{ not: { exact: { namespace: 'prod' } } }, false],
  ])('%j → %s', (filter, expected) => {
    expect(passesFilters([filter], event)).toBe(expected);
  });

  it('requires every top-level filter to pass', () => {
    expect(passesFilters([{ exact: { kind: 'Pod' } }, { exact: { namespace: 'dev' } }], event)).toBe(false);
  });
});
