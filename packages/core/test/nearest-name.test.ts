import { describe, expect, it } from 'vitest';
import { nearestName } from '../src/index.ts';

describe('nearestName', () => {
  const known = ['push', 'pull_request', 'pull_request_review', 'issues', 'issue_comment'];
  it('finds the name a typo probably meant', () => {
    expect(nearestName('pull_requests', known)).toBe('pull_request');
    expect(nearestName('isues', known)).toBe('issues');
    expect(nearestName('PUSH', known)).toBe('push');
  });
  it('suggests nothing when no name is close', () => {
    expect(nearestName('deployment', known)).toBeUndefined();
    expect(nearestName('Push Hook', known)).toBeUndefined();
  });
});
