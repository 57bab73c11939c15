import { setTimeout as sleep } from 'node:timers/promises';
import { traceEach, type AdapterContext, type DeliveryError } from '@tributary/core';
import type { HeartbeatConfig } from './config.ts';
import { heartbeatEvent } from './to-cloudevent.ts';

/**
 * First beat at once, then one per period. Beats are sent without waiting for the previous one
 * so a slow sink does not stretch the cadence; core's in-flight limit bounds the backlog.
 * A beat the sink never accepts is logged and counted (core's metrics) and the next one goes on.
 */
export async function runHeartbeats(ctx: AdapterContext<HeartbeatConfig>): Promise<void> {
  const { config, logger, signal } = ctx;
  // `--sink` / `--cacerts` when K_SINK / K_CA_CERTS are unset; otherwise the same as ctx.emit.
  // Each beat starts a trace of its own when tracing is on.
  const emit = traceEach(ctx.tracing, ctx.emitTo({ sink: config.sink, caCerts: config.caCerts }), 'heartbeat');
  const send = async (sequence: number) => {
    try {
      await emit(heartbeatEvent(config, sequence, new Date()));
      logger.debug({ sequence }, 'heartbeat delivered');
      return true;
    } catch (error) {
      logger.warn({ sequence, err: error, code: (error as DeliveryError).code }, 'heartbeat not delivered');
      return false;
    }
  };

  if (config.oneShot) {
    if (!(await send(1))) throw new Error('ONE_SHOT heartbeat was not delivered');
    return;
  }
  const inFlight = new Set<Promise<boolean>>();
  let next = Date.now();
  for (let sequence = 1; !signal.aborted; sequence++) {
    const beat = send(sequence);
    inFlight.add(beat);
    void beat.finally(() => inFlight.delete(beat));
    // Schedule against the wall clock so the period does not drift by send time.
    next += config.periodMs;
    try {
      await sleep(Math.max(0, next - Date.now()), undefined, { signal });
    } catch {
      break;
    }
  }
  await Promise.all(inFlight);
}
