import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingSink, type RecordingSink } from '@tributary/testkit';
import { createMetrics, SinkClient, type CloudEvent, type Metrics } from '../src/index.ts';

const event: CloudEvent = { id: 'id-1', source: 'https://github.com/o/r', type: 'dev.knative.source.github.push', data: {} };

/** The value of the one sample of `name` whose labels include `labels`. */
async function value(metrics: Metrics, name: string, labels: Record<string, string>, sampleName = name): Promise<number | undefined> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  const matching = metric?.values.filter(
    (sample) =>
      ((sample as { metricName?: string }).metricName ?? name) === sampleName &&
      Object.entries(labels).every(([key, wanted]) => String((sample.labels as Record<string, unknown>)[key]) === wanted),
  );
  expect(matching?.length).toBe(1);
  return matching?.[0]?.value;
}

describe('metrics', () => {
  let sink: RecordingSink;
  beforeEach(async () => {
    sink = await startRecordingSink();
  });
  afterEach(async () => {
    await sink.close();
  });

  function client(metrics: Metrics, retries = 3) {
    return new SinkClient({
      sink: new URL(sink.url),
      mode: 'binary',
      overrides: {},
      timeoutMs: 2_000,
      retry: { retries, backoff: 'linear', delayMs: 1, maxDelayMs: 10 },
      maxInFlight: 4,
      namespace: 'team-a',
      metrics: metrics.delivery,
    });
  }

  it('labels every metric with the source identity and keeps standard process metric names', async () => {
    const metrics = createMetrics({ adapter: 'github', name: 'hooks', namespace: 'team-a' });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{adapter="github",name="hooks",namespace="team-a"\} /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{/m);
    expect(text).not.toContain('tributary_process');
  });

  it("counts events and retries under Knative's event_count and retry_event_count", async () => {
    sink.faults.failNext(2, 503);
    const metrics = createMetrics({ adapter: 'github', name: 'hooks', namespace: 'team-a' }, false);
    const instance = client(metrics);
    await instance.send(event);
    const labels = {
      event_type: 'dev.knative.source.github.push',
      event_source: 'https://github.com/o/r',
      event_scheme: 'http',
      name: 'hooks',
      namespace_name: 'team-a',
      resource_group: 'adapter.sources.knative.dev',
    };
    expect(await value(metrics, 'event_count', { ...labels, response_code: '202', response_code_class: '2xx' })).toBe(1);
    expect(await value(metrics, 'retry_event_count', { ...labels, response_code: '503', response_code_class: '5xx' })).toBe(2);
    const attempts = { http_request_method: 'POST', server_address: '127.0.0.1', url_scheme: 'http', http_response_status_code: '503', error_type: '503' };
    expect(await value(metrics, 'http_client_request_duration_seconds', attempts, 'http_client_request_duration_seconds_count')).toBe(2);
    // A second scrape adds only what happened since the first.
    await instance.send(event);
    expect(await value(metrics, 'event_count', { ...labels, response_code: '202', response_code_class: '2xx' })).toBe(2);
    await instance.close();
  });

  it('counts an event that never got an answer with response_code 0 and its error kind', async () => {
    const metrics = createMetrics({ adapter: 'github' }, false);
    const port = new URL(sink.url).port;
    await sink.close();
    const instance = new SinkClient({
      sink: new URL(`http://127.0.0.1:${port}/`),
      mode: 'binary',
      overrides: {},
      timeoutMs: 1_000,
      retry: { retries: 1, backoff: 'linear', delayMs: 1, maxDelayMs: 10 },
      maxInFlight: 1,
      metrics: metrics.delivery,
    });
    await expect(instance.send(event)).rejects.toThrow();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^event_count\{.*name="unknown",namespace_name="unknown",.*response_error="network",response_timeout="false".*\} 1$/m);
    expect(text).toMatch(/^retry_event_count\{.*response_error="network".*\} 1$/m);
    await instance.close();
    sink = await startRecordingSink();
  });
});
