import { describeConformance } from './harness/conformance.ts';
import { apiServerSource116, apiServerSourceLatest } from './fixtures/apiserversource.ts';

describeConformance(apiServerSourceLatest);
describeConformance(apiServerSource116);
