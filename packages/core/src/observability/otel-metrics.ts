// Loaded with a dynamic import only when OTLP metrics push is configured (observability/setup.ts).
import { diag } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricData,
  type MetricProducer,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import type { Registry } from 'prom-client';

type Point = { labels: Record<string, string | number>; value: number; metricName?: string };
type HrTime = [number, number];

/**
 * Pushes the Prometheus registry's metrics over OTLP: one source of truth, so the pull and push
 * views agree and the delivery hot path records each metric once. Counters become monotonic
 * cumulative sums, gauges gauges, histograms explicit-bucket histograms.
 */
export function startMetricsPush(options: {
  readonly registry: Registry;
  readonly exporter: PushMetricExporter;
  readonly intervalMs: number;
  readonly resource: Readonly<Record<string, string>>;
}): { shutdown(timeoutMs: number): Promise<void> } {
  const resource = resourceFromAttributes(options.resource);
  const reader = new PeriodicExportingMetricReader({
    exporter: options.exporter,
    exportIntervalMillis: options.intervalMs,
    exportTimeoutMillis: Math.min(options.intervalMs, 30_000),
    metricProducers: [registryProducer(options.registry, resource)],
  });
  const provider = new MeterProvider({ resource, readers: [reader] });
  return {
    async shutdown(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([provider.shutdown().catch((error: unknown) => diag.warn('metrics export at shutdown failed', error)), timeout]);
      clearTimeout(timer);
    },
  };
}

function registryProducer(registry: Registry, resource: Resource): MetricProducer {
  const startTime = hrTime(Date.now() - performance.now());
  return {
    async collect() {
      const endTime = hrTime(Date.now());
      const metrics: MetricData[] = [];
      for (const metric of await registry.getMetricsAsJSON()) {
        const descriptor = { name: metric.name, description: metric.help, unit: '', valueType: 1 };
        const values = metric.values as Point[];
        const points = (list: Point[]) => list.map((point) => ({ startTime, endTime, attributes: point.labels, value: point.value }));
        const type = String(metric.type);
        if (type === 'counter') {
          metrics.push({ descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints: points(values) });
        } else if (type === 'gauge') {
          metrics.push({ descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints: points(values) });
        } else if (type === 'histogram') {
          metrics.push({
            descriptor,
            aggregationTemporality: AggregationTemporality.CUMULATIVE,
            dataPointType: DataPointType.HISTOGRAM,
            dataPoints: histogramPoints(metric.name, values).map((value) => ({ startTime, endTime, attributes: value.attributes, value: value.histogram })),
          });
        }
      }
      return { resourceMetrics: { resource, scopeMetrics: [{ scope: { name: 'tributary' }, metrics }] }, errors: [] };
    },
  };
}

/** prom-client lists cumulative `_bucket{le}` samples, `_sum` and `_count` per label set. */
function histogramPoints(name: string, values: Point[]) {
  const series = new Map<string, { attributes: Record<string, string | number>; le: [number, number][]; sum: number; count: number }>();
  for (const point of values) {
    const { le, ...attributes } = point.labels;
    const key = JSON.stringify(attributes);
    let entry = series.get(key);
    if (entry === undefined) series.set(key, (entry = { attributes, le: [], sum: 0, count: 0 }));
    if (point.metricName === `${name}_bucket`) entry.le.push([le === '+Inf' ? Infinity : Number(le), point.value]);
    else if (point.metricName === `${name}_sum`) entry.sum = point.value;
    else if (point.metricName === `${name}_count`) entry.count = point.value;
  }
  return [...series.values()].map((entry) => {
    const sorted = entry.le.sort((a, b) => a[0] - b[0]);
    const boundaries = sorted.filter(([bound]) => Number.isFinite(bound)).map(([bound]) => bound);
    const counts = sorted.map(([, cumulative], index) => cumulative - (index === 0 ? 0 : sorted[index - 1]![1]));
    return { attributes: entry.attributes, histogram: { buckets: { boundaries, counts }, sum: entry.sum, count: entry.count, hasMinMax: false } };
  });
}

function hrTime(epochMs: number): HrTime {
  const seconds = Math.floor(epochMs / 1000);
  return [seconds, Math.round((epochMs - seconds * 1000) * 1e6)];
}
