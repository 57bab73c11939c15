import { buildPingSource, type PingSource, type PingSourceField, type PingSourceOidc } from './source.ts';
import { ceOverridesSchema } from './sources-file.ts';
import type { ScheduleCache } from './schedule.ts';

/**
 * The fields of a `sources.knative.dev/v1` PingSource that mt-ping reads (knative/eventing
 * `pkg/apis/sources/v1/ping_types.go` and duck/v1 `SourceStatus`, knative-v1.22.2). Values come
 * from the API server as JSON, so nothing is trusted to have its declared type.
 */
export interface PingSourceObject {
  readonly metadata?: { readonly namespace?: unknown; readonly name?: unknown; readonly resourceVersion?: unknown };
  readonly spec?: Readonly<Record<string, unknown>>;
  readonly status?: {
    readonly conditions?: unknown;
    readonly sinkUri?: unknown;
    readonly sinkCACerts?: unknown;
    readonly sinkAudience?: unknown;
    readonly auth?: { readonly serviceAccountName?: unknown } | null;
  };
}

export interface ObjectProblem {
  /** The field of the object at fault: `spec.schedule`, `status.sinkUri`, ... */
  readonly field: string;
  readonly message: string;
}

export type PingSourceObjectResult =
  | { readonly kind: 'serve'; readonly source: PingSource }
  /** Not Ready yet: mt-ping's reconciler skips it ("PingSource is not ready"). */
  | { readonly kind: 'not-ready' }
  | { readonly kind: 'rejected'; readonly problems: readonly ObjectProblem[] };

const FIELD_PATHS: Readonly<Record<PingSourceField, string>> = {
  namespace: 'metadata.namespace',
  name: 'metadata.name',
  schedule: 'spec.schedule',
  timezone: 'spec.timezone',
  data: 'spec.data',
  dataBase64: 'spec.dataBase64',
  contentType: 'spec.contentType',
  ceOverrides: 'spec.ceOverrides',
  sink: 'status.sinkUri',
  caCerts: 'status.sinkCACerts',
  oidc: 'status.sinkAudience',
};

/**
 * What mt-ping makes of one PingSource (`pkg/adapter/mtping/pingsource.go` and `runner.go`): only
 * a Ready source is served, sent to `status.sinkUri`, trusting `status.sinkCACerts`, with a token
 * for `status.auth.serviceAccountName` when `status.sinkAudience` is set; `spec.ceOverrides`
 * extensions go on every event. Empty strings are unset, as Go's zero values. The spec is checked
 * as Knative's webhook checks it, so a bad schedule is refused here instead of failing a tick.
 */
export function fromPingSourceObject(object: PingSourceObject, cache?: ScheduleCache): PingSourceObjectResult {
  if (!isReady(object.status?.conditions)) return { kind: 'not-ready' };
  const problems: ObjectProblem[] = [];
  const text = (value: unknown, field: string): string | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value;
    problems.push({ field, message: `must be a string, got ${typeof value}` });
    return undefined;
  };
  const { metadata, spec = {}, status = {} } = object;
  const sinkText = text(status.sinkUri, 'status.sinkUri');
  const sink = sinkText === undefined ? null : URL.parse(sinkText);
  if (sinkText === undefined) problems.push({ field: 'status.sinkUri', message: 'is not set although the source is Ready' });
  else if (sink === null || (sink.protocol !== 'http:' && sink.protocol !== 'https:')) {
    problems.push({ field: 'status.sinkUri', message: `must be an absolute http or https URL, got ${JSON.stringify(sinkText)}` });
  }
  const overrides = ceOverridesSchema.safeParse(spec['ceOverrides']);
  if (!overrides.success) {
    for (const issue of overrides.error.issues) problems.push({ field: ['spec.ceOverrides', ...issue.path.map(String)].join('.'), message: issue.message });
  }
  const audience = text(status.sinkAudience, 'status.sinkAudience');
  const serviceAccount = text(status.auth?.serviceAccountName, 'status.auth.serviceAccountName');
  // Knative's client asks for a token only when it has both (pkg/adapter/v2/cloudevents.go).
  const oidc: PingSourceOidc | undefined = audience !== undefined && serviceAccount !== undefined ? { audience, serviceAccount } : undefined;

  const built = buildPingSource(
    {
      namespace: text(metadata?.namespace, 'metadata.namespace'),
      name: text(metadata?.name, 'metadata.name'),
      schedule: text(spec['schedule'], 'spec.schedule'),
      timezone: text(spec['timezone'], 'spec.timezone'),
      contentType: text(spec['contentType'], 'spec.contentType'),
      data: text(spec['data'], 'spec.data'),
      dataBase64: text(spec['dataBase64'], 'spec.dataBase64'),
      sink: sink ?? undefined,
      ceOverrides: overrides.success ? overrides.data : undefined,
      caCerts: text(status.sinkCACerts, 'status.sinkCACerts'),
      oidc,
    },
    cache,
  );
  if (!built.ok) for (const { field, message } of built.problems) problems.push({ field: FIELD_PATHS[field], message });
  if (problems.length > 0 || !built.ok) return { kind: 'rejected', problems };
  return { kind: 'serve', source: built.source };
}

/** `PingSourceStatus.IsReady`: the living condition set's happy condition, `Ready`, is `True`. */
function isReady(conditions: unknown): boolean {
  return (
    Array.isArray(conditions) &&
    conditions.some((condition: { type?: unknown; status?: unknown } | null) => condition?.type === 'Ready' && condition.status === 'True')
  );
}
