import { runAdapter } from '@tributary/core';
import { displayAdapter } from './adapter.ts';

await runAdapter(displayAdapter);
