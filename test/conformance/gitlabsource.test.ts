import { describeConformance } from './harness/conformance.ts';
import { gitlabSourceReceiveAdapter } from './fixtures/gitlabsource.ts';

describeConformance(gitlabSourceReceiveAdapter);
