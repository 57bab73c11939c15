import { describeConformance } from './harness/conformance.ts';
import { heartbeatsContainerSource } from './fixtures/heartbeats.ts';

describeConformance(heartbeatsContainerSource);
