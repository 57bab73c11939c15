import { setTimeout as sleep } from 'node:timers/promises';
import { mountWebhook, type AdapterContext } from '@tributary/core';
import type { GitHubConfig } from './config.ts';
import { createRoutedGitHubIntake, type GitHubRoute } from './intake.ts';
import type { MultiTenantConfig } from './multi-tenant-config.ts';
import { TenantDirectory } from './tenant-directory.ts';
import { checkSignaturePresent } from './signature.ts';

const LIST_WAIT_MS = 10_000;

/**
 * eventing-github's multi-tenant receive adapter (v0.48.0 cmd/mt_receive_adapter, pkg/mtadapter):
 * one process serving every GitHubSource at `/<namespace>/<name>`, each verified with its own
 * Secret and forwarded to its own `status.sinkUri` with its own source. Ready once the first list
 * of GitHubSources is applied.
 */
export async function runMultiTenant(ctx: AdapterContext<GitHubConfig>, multiTenant: MultiTenantConfig): Promise<void> {
  const { config, logger, signal } = ctx;
  const { connectSourceWatch } = await import('./source-watch.ts');
  const watch = connectSourceWatch(multiTenant, logger);
  const served = ctx.metrics.gauge('tributary_github_sources_served', 'GitHubSources served by path (multi-tenant mode).');
  const directory = new TenantDirectory({
    webUrl: config.webUrl,
    readSecret: watch.readSecret,
    secretRereadMs: multiTenant.secretRereadMs,
    logger,
    makeRoute: (tenant, secret): GitHubRoute => ({
      verify: (headers, body) => secret.verify(headers, body),
      // Every source has a secret: a request without a signature is refused before its body is read.
      checkHeaders: checkSignaturePresent,
      eventTypes: undefined,
      settings: { source: tenant.source, webUrl: config.webUrl },
      emit: ctx.emitTo({
        sink: tenant.sink,
        ceOverrides: tenant.ceOverrides,
        namespace: tenant.namespace,
        caCerts: tenant.sinkCACerts,
        oidc: tenant.oidc,
      }),
      deliveryKey: tenant.path,
    }),
  });
  // Under a Knative Service without a readiness probe (the `github-adapter` Service has none),
  // queue-proxy's TCP check passes as soon as the port listens: a delivery that arrives before the
  // first list waits for it (up to LIST_WAIT_MS) rather than being answered 404.
  let isListed = false;
  let listed: () => void = () => {};
  const firstList = new Promise<void>((resolve) => (listed = resolve)).then(() => (isListed = true));
  const route = async (path: string) => {
    if (!isListed) await Promise.race([firstList, sleep(LIST_WAIT_MS, undefined, { ref: false })]);
    return directory.route(path);
  };
  mountWebhook(ctx, createRoutedGitHubIntake(config, logger, ctx.metrics, route));

  await watch.start(
    {
      upsert: async (object) => {
        await directory.upsert(object);
        served.set(directory.size);
      },
      remove: (object) => {
        directory.remove(object);
        served.set(directory.size);
      },
    },
    signal,
  );
  if (signal.aborted) return;
  logger.info({ sources: directory.size, namespace: multiTenant.namespace ?? '(all)' }, 'GitHubSources listed; serving');
  listed();
  ctx.setReady(true);
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
