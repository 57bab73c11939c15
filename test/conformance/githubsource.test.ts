import { describeConformance } from './harness/conformance.ts';
import { githubSourceReceiveAdapter } from './fixtures/githubsource.ts';
import { githubMultiTenantAdapter } from './fixtures/githubsource-mt.ts';

describeConformance(githubSourceReceiveAdapter);
describeConformance(githubMultiTenantAdapter);
