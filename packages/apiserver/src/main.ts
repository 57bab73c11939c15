import { runAdapter } from '@tributary/core';
import { apiserverAdapter } from './adapter.ts';

await runAdapter(apiserverAdapter);
