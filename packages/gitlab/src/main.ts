import { runAdapter } from '@tributary/core';
import { gitlabAdapter } from './adapter.ts';

await runAdapter(gitlabAdapter);
