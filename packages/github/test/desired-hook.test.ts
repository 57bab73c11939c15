import { describe, expect, it } from 'vitest';
import { sameHookUrl as sameUrl } from '@tributary/core';
import { hookDifferences, type DesiredHook, type Hook } from '../src/index.ts';

const desired: DesiredHook = {
  url: 'https://hooks.example.com/github',
  events: ['push', 'pull_request'],
  secret: 's',
  rotatingSecret: false,
};
const matching: Hook = {
  id: 1,
  active: true,
  events: ['pull_request', 'push'],
  config: {
    url: 'https://hooks.example.com/github',
    content_type: 'json',
    secret: '********',
    insecure_ssl: '0',
  },
};

describe('hookDifferences', () => {
  it('finds none for a hook with the same events in another order, JSON content and a secret', () => {
    expect(hookDifferences(matching, desired)).toStrictEqual([]);
  });

  it('names each difference', () => {
    const hook: Hook = {
      ...matching,
      active: false,
      events: ['push'],
      config: { ...matching.config, content_type: 'form' },
    };
    expect(hookDifferences(hook, desired)).toStrictEqual([
      'events [push] → [push,pull_request]',
      'content type form → json',
      'inactive → active',
    ]);
  });

  it('compares secrets by presence only, as GitHub never returns them', () => {
    const { secret: _secret, ...withoutSecret } = matching.config;
    expect(hookDifferences({ ...matching, config: withoutSecret }, desired)).toStrictEqual([
      'no secret → secret',
    ]);
    expect(hookDifferences(matching, { ...desired, secret: undefined })).toStrictEqual([
      'secret → no secret',
    ]);
    expect(hookDifferences(matching, { ...desired, rotatingSecret: true })).toStrictEqual([
      'secret rotation',
    ]);
  });
});

describe('sameUrl', () => {
  it('compares URLs after normalisation', () => {
    expect(sameUrl('HTTPS://Hooks.Example.com:443/github', 'https://hooks.example.com/github')).toBe(true);
    expect(sameUrl('https://hooks.example.com/github/', 'https://hooks.example.com/github')).toBe(false);
    expect(sameUrl(undefined, 'https://hooks.example.com/github')).toBe(false);
    expect(sameUrl('not a url', 'not a url')).toBe(true);
  });
});
