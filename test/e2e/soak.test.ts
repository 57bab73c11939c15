import { describe, expect, it } from 'vitest';
import { runSoak } from '@tributary/testkit';

// The short form of `npm run bench -- soak`: the GitHub and GitLab bundles under signed, forged,
// malformed, oversize and slowloris traffic while the sink answers 503, hangs and resets
// connections in turn. No timing thresholds: only that nothing crashed and that every delivery an
// adapter acknowledged reached the sink.
describe('soak (15 s)', () => {
  it('loses no acknowledged delivery and crashes no adapter', { timeout: 180_000 }, async () => {
    const result = await runSoak({ durationMs: 15_000, sampleEveryMs: 5_000, senders: 3, slowloris: 4 });
    for (const adapter of result.adapters) {
      expect(adapter.crashed, adapter.adapter).toBeUndefined();
      expect(adapter.lost, `${adapter.adapter}: ${JSON.stringify(adapter.answers)}`).toBe(0);
      expect(adapter.acknowledged, adapter.adapter).toBeGreaterThan(0);
      expect(adapter.answers['bad-signature 401'], adapter.adapter).toBeGreaterThan(0);
      expect(adapter.exitCode, adapter.adapter).toBe(0);
    }
  });
});
