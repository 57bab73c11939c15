import { runAdapter } from '@tributary/core';
import { heartbeatAdapter } from './adapter.ts';

await runAdapter(heartbeatAdapter);
