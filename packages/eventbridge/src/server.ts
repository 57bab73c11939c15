import { once } from 'node:events';
import { mountWebhook, type AdapterContext } from '@tributary/core';
import type { EventBridgeConfig } from './config.ts';
import { eventBridgeIntake } from './intake.ts';

/** Serves the push endpoint on PORT until shutdown; core drains in-flight deliveries after. */
export async function serveEventBridge(ctx: AdapterContext<EventBridgeConfig>): Promise<void> {
  mountWebhook(ctx, eventBridgeIntake(ctx.config, ctx.metrics));
  ctx.logger.info(
    {
      token: ctx.config.token !== undefined,
      signature: ctx.config.signature !== undefined,
      types: ctx.config.types,
      maxBodyBytes: ctx.config.maxBodyBytes,
    },
    'accepting EventBridge pushes',
  );
  if (!ctx.signal.aborted) await once(ctx.signal, 'abort');
}
