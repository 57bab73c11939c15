import { runAdapter } from '@tributary/core';
import { githubAdapter } from './adapter.ts';

await runAdapter(githubAdapter);
