import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createEncoder, HttpError } from '@tributary/core';
import { anyJson, expectHttpErrorOrValidEvents } from '@tributary/testkit';
import { buildPingSource, type PingSourceInput } from '../../src/source.ts';
import { pingEvent } from '../../src/to-cloudevent.ts';

const core = { HttpError, createEncoder };
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  anyJson.map((value) => JSON.stringify(value) ?? ''),
);

// A PingSource spec as a user (or a sources file) can write it: any text in every field.
const input: fc.Arbitrary<PingSourceInput> = fc.record(
  {
    namespace: fc.oneof(fc.constantFrom('default', 'team-a'), text),
    name: fc.oneof(fc.constantFrom('ping', 'nightly'), text),
    schedule: fc.oneof(
      fc.constantFrom('* * * * *', '0 3 * * *', '@every 1m', 'CRON_TZ=Europe/Paris 0 9 * * 1-5'),
      text,
    ),
    timezone: fc.oneof(fc.constantFrom('UTC', 'Asia/Shanghai'), text),
    data: text,
    dataBase64: fc.oneof(fc.base64String({ maxLength: 40 }), text),
    contentType: fc.oneof(
      fc.constantFrom(
        'application/json',
        'text/plain',
        'application/octet-stream',
        'application/cloudevents+json',
      ),
      text,
    ),
  },
  { requiredKeys: [] },
);

describe('ping sources under any spec', () => {
  it('are refused with problems, or send valid CloudEvents, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(input, fc.integer({ min: 0, max: 4_102_444_800_000 }), async (spec, scheduledMs) => {
        const result = buildPingSource(spec);
        if (!result.ok) return;
        await expectHttpErrorOrValidEvents(core, () => [pingEvent(result.source, scheduledMs)]);
      }),
      { numRuns: 800 },
    );
  });
});
