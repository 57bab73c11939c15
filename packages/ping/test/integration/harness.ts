import { adapterEnv, bundlePath, startProcess, type AdapterEnv, type AdapterProcess } from '@tributary/testkit';

/** The built ping bundle as a process, ready to serve. */
export async function startPing(sinkUrl: string, extra: Record<string, string>): Promise<{ proc: AdapterProcess; env: AdapterEnv }> {
  const env = await adapterEnv(sinkUrl, extra);
  const proc = startProcess(bundlePath('ping'), env);
  await proc.waitForReady(Number(env.PORT));
  return { proc, env };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Scheduled instants are whole seconds, written with milliseconds. */
export const WHOLE_SECOND = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/;

export async function scrape(env: AdapterEnv): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${env.METRICS_PORT}/metrics`);
  return response.text();
}
