import {
  adapterEnv,
  bundlePath,
  startProcess,
  startRecordingSink,
  type AdapterProcess,
  type RecordingSink,
} from '@tributary/testkit';
import { afterEach, expect, it } from 'vitest';
import { deliver, TEST_SECRET } from './support/deliver.ts';
import { fixture } from './support/fixtures.ts';

const push = JSON.stringify(fixture('push'));
let sink: RecordingSink | undefined;
let adapter: AdapterProcess | undefined;

afterEach(async () => {
  await adapter?.stop();
  await sink?.close();
});

async function start() {
  sink = await startRecordingSink();
  const env = await adapterEnv(sink.url, {
    GITHUB_SECRET_TOKEN: TEST_SECRET,
    K_SINK_RETRY: '2',
    K_SINK_TIMEOUT: '2',
  });
  adapter = startProcess(bundlePath('github'), env);
  await adapter.waitForReady(Number(env.PORT));
  return { port: Number(env.PORT), sinkPort: Number(new URL(sink.url).port) };
}

it('answers 503 while the sink is down, then forwards the redelivery exactly once', async () => {
  const { port, sinkPort } = await start();
  await sink?.close();

  const whileDown = await deliver(port, { event: 'push', id: 'redelivered', body: push });
  expect(whileDown.status).toBe(503);

  sink = await startRecordingSink({ port: sinkPort });
  const redelivery = await deliver(port, { event: 'push', id: 'redelivered', body: push });
  expect(redelivery.status).toBe(200);
  await sink.waitForEvents(1);

  const again = await deliver(port, { event: 'push', id: 'redelivered', body: push });
  expect(again).toStrictEqual({ status: 200, body: { status: 'duplicate', delivery: 'redelivered' } });
  expect(sink.requestCount).toBe(1);
  expect(sink.events.map((event) => event.attributes['id'])).toStrictEqual(['redelivered']);
});

it('answers 502 when the sink refuses the event, so GitHub records a failure', async () => {
  const { port } = await start();
  sink?.faults.failNext(1, 400);
  const refused = await deliver(port, { event: 'push', id: 'refused', body: push });
  expect(refused.status).toBe(502);
  const retried = await deliver(port, { event: 'push', id: 'refused', body: push });
  expect(retried.status).toBe(200);
  expect(sink?.events.map((event) => event.attributes['id'])).toStrictEqual(['refused']);
});
