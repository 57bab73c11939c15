import {
  adapterEnv,
  bundlePath,
  startProcess,
  startRecordingSink,
  waitFor,
  type AdapterProcess,
  type RecordingSink,
} from '@tributary/testkit';
import { afterEach, expect, it } from 'vitest';
import { deliver, TEST_SECRET } from './support/deliver.ts';
import { fixture } from './support/fixtures.ts';

// GitHub gives up on a delivery after 10 s. With a hung sink the adapter answers 503 at
// GITHUB_ANSWER_DEADLINE while its delivery goes on; GitHub's redelivery (same X-GitHub-Delivery)
// joins that delivery instead of starting a second one, and once the sink took it, is a duplicate.
const push = JSON.stringify(fixture('push'));
let sink: RecordingSink | undefined;
let adapter: AdapterProcess | undefined;

afterEach(async () => {
  sink?.faults.hang(false);
  await adapter?.stop();
  await sink?.close();
});

it('answers 503 at the deadline while the sink hangs; the redelivery joins the delivery in flight, then is a duplicate', async () => {
  sink = await startRecordingSink();
  const env = await adapterEnv(sink.url, {
    GITHUB_SECRET_TOKEN: TEST_SECRET,
    GITHUB_ANSWER_DEADLINE: '500ms',
    K_SINK_TIMEOUT: '60',
  });
  adapter = startProcess(bundlePath('github'), env);
  const port = Number(env.PORT);
  await adapter.waitForReady(port);
  sink.faults.hang(true);

  const first = await deliver(port, { event: 'push', id: 'hung-1', body: push });
  expect(first.status).toBe(503);
  expect(first.body).toMatchObject({ error: 'DELIVERY_PENDING', delivery: 'hung-1' });
  await waitFor(() => sink!.requestCount === 1, { what: 'the delivery at the hung sink' });

  const redelivery = await deliver(port, { event: 'push', id: 'hung-1', body: push });
  expect(redelivery.status).toBe(503);
  const metrics = await (await fetch(`http://127.0.0.1:${env.METRICS_PORT}/metrics`)).text();
  expect(metrics).toMatch(/^tributary_webhook_joined_total\{[^}]*\} 1$/m);
  expect(sink.requestCount).toBe(1);

  sink.faults.hang(false);
  await adapter.waitForLog((line) => line['msg'] === 'delivery accepted by the sink after the sender was answered 503');
  const later = await deliver(port, { event: 'push', id: 'hung-1', body: push });
  expect(later).toStrictEqual({ status: 200, body: { status: 'duplicate', delivery: 'hung-1' } });
  expect(sink.requestCount).toBe(1);
  expect(sink.events.map((event) => event.attributes['id'])).toStrictEqual(['hung-1']);
});
