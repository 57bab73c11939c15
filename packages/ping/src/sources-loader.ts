import type { Logger } from '@tributary/core';
import { collectAfterLoad } from './heap.ts';
import type { PingMetrics } from './metrics.ts';
import type { CronScheduler } from './scheduler.ts';
import type { PingSource } from './source.ts';
import { parseSourcesFile, type SourcesFile } from './sources-file.ts';

export interface SourcesLoaderOptions {
  readonly path: string;
  readonly scheduler: CronScheduler<PingSource>;
  readonly defaultSink: URL | undefined;
  readonly metrics: PingMetrics;
  readonly logger: Logger;
}

/**
 * Applies versions of the sources file to the scheduler. A version that cannot be read as a list
 * changes nothing (the last good set keeps running); a bad entry is logged with its reasons and
 * skipped while the good ones run.
 */
export class SourcesLoader {
  readonly #options: SourcesLoaderOptions;
  #keys = new Map<string, PingSource>();

  constructor(options: SourcesLoaderOptions) {
    this.#options = options;
  }

  /** A new content of the file, after startup. */
  reload(text: string): void {
    const { metrics, logger, path, defaultSink } = this.#options;
    const parsed = parseSourcesFile(text, defaultSink);
    if (!parsed.ok) {
      metrics.reloads.inc({ outcome: 'failed' });
      logger.error({ file: path, reason: parsed.message }, 'sources file not applied: keeping the last good set');
      return;
    }
    this.apply(parsed.file);
    metrics.reloads.inc({ outcome: 'applied' });
    collectAfterLoad(parsed.file.sources.length);
  }

  apply(file: SourcesFile): void {
    const { scheduler, metrics, logger, path } = this.#options;
    for (const entry of file.rejected) {
      logger.error(
        {
          file: path,
          entry: entry.index,
          pingsource: { namespace: entry.namespace, name: entry.name },
          problems: entry.problems,
          reason: entry.problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
        },
        'ping source rejected',
      );
    }
    const result = scheduler.replace(file.sources);
    const next = new Map(file.sources.map((source) => [source.key, source]));
    // Drop the failure series of sources that are gone, so the registry does not grow with churn.
    for (const [key, source] of this.#keys) {
      if (!next.has(key)) metrics.failed.remove({ namespace: source.namespace, name: source.name });
    }
    this.#keys = next;
    metrics.sources.set(file.sources.length);
    metrics.rejected.set(file.rejected.length);
    logger.info({ file: path, loaded: file.sources.length, rejected: file.rejected.length, ...result }, 'ping sources loaded');
  }
}
