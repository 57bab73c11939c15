import { runAdapter } from '@tributary/core';
import { pingAdapter } from './adapter.ts';

await runAdapter(pingAdapter);
