import { runAdapter } from '@tributary/core';
import { eventBridgeAdapter } from './adapter.ts';

await runAdapter(eventBridgeAdapter);
