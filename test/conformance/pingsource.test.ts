import { describeConformance } from './harness/conformance.ts';
import { pingSourceMtAdapter } from './fixtures/pingsource.ts';

describeConformance(pingSourceMtAdapter);
