import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll } from 'vitest';
import { describeConformance } from './harness/conformance.ts';
import { awsSqsSourceAdapter } from './fixtures/awssqssource.ts';

// The SQS the adapter polls: fauxqs on loopback (the image run shares the host network).
let emulator: FauxqsServer | undefined;
beforeAll(async () => {
  emulator = await startFauxqs({ port: 0, logger: false });
});
afterAll(async () => {
  await emulator?.stop();
});

describeConformance(
  awsSqsSourceAdapter(() => {
    if (emulator === undefined) throw new Error('fauxqs is not running');
    return emulator;
  }),
);
