// Validates Kubernetes objects against the published schemas: kubernetes-models for the core
// API groups, @kubernetes-models/knative for Knative's. KEDA and the Prometheus Operator publish no
// such package, so their kinds get a structural check of the fields the charts set (zod), not the
// full CRD schema.
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

const kedaScaledObject = z.object({
  apiVersion: z.literal('keda.sh/v1alpha1'),
  kind: z.literal('ScaledObject'),
  metadata: z.object({ name: z.string().min(1) }),
  spec: z.strictObject({
    scaleTargetRef: z.strictObject({
      apiVersion: z.string().optional(),
      kind: z.string().optional(),
      name: z.string().min(1),
    }),
    minReplicaCount: z.number().int().min(0).optional(),
    maxReplicaCount: z.number().int().min(1).optional(),
    pollingInterval: z.number().int().min(1).optional(),
    cooldownPeriod: z.number().int().min(0).optional(),
    triggers: z
      .array(
        z.strictObject({
          type: z.string().min(1),
          metadata: z.record(z.string(), z.string()),
          authenticationRef: z
            .strictObject({ name: z.string().min(1), kind: z.string().optional() })
            .optional(),
        }),
      )
      .min(1),
  }),
});

/** Prometheus Operator's monitors (monitoring.coreos.com/v1): the fields the charts set. */
const monitorEndpoint = z.strictObject({
  port: z.string().min(1),
  path: z.string().startsWith('/'),
  interval: z
    .string()
    .regex(/^([0-9]+(ms|s|m|h))+$/)
    .optional(),
  scrapeTimeout: z
    .string()
    .regex(/^([0-9]+(ms|s|m|h))+$/)
    .optional(),
});
const monitorSelector = z.strictObject({ matchLabels: z.record(z.string(), z.string()) });
const prometheusMonitors: Record<string, z.ZodType> = {
  ServiceMonitor: z.object({
    metadata: z.object({ name: z.string().min(1) }),
    spec: z.strictObject({ selector: monitorSelector, endpoints: z.array(monitorEndpoint).min(1) }),
  }),
  PodMonitor: z.object({
    metadata: z.object({ name: z.string().min(1) }),
    spec: z.strictObject({ selector: monitorSelector, podMetricsEndpoints: z.array(monitorEndpoint).min(1) }),
  }),
};

/** Parses a multi-document YAML stream (helm template output, a manifest file); empty documents are skipped. */
export function parseObjects(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`YAML error: ${document.errors[0]?.message}`);
    const value = document.toJS() as K8sObject | null;
    if (value !== null) objects.push(value);
  }
  return objects;
}

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass> {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module = group?.endsWith('knative.dev')
    ? await import(`@kubernetes-models/knative/${group}/${version}`)
    : await import(group === '' ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`);
  const model = (module as Record<string, unknown>)[kind];
  if (typeof model !== 'function') throw new Error(`no schema for ${apiVersion} ${kind}`);
  return model as ModelClass;
}

/**
 * Throws with the schema's message when `object` is not valid. Some generated Knative schemas
 * (SinkBinding) mark `status` required although the API server fills it in: an absent status is
 * validated as `{}`.
 */
export async function validateObject(object: K8sObject): Promise<void> {
  const where = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  if (object.apiVersion?.startsWith('keda.sh/')) {
    if (object.kind !== 'ScaledObject') throw new Error(`${where}: no schema for this KEDA kind`);
    const result = kedaScaledObject.safeParse(object);
    if (!result.success) throw new Error(`${where}: ${z.prettifyError(result.error)}`);
    return;
  }
  if (object.apiVersion === 'monitoring.coreos.com/v1') {
    const monitor = prometheusMonitors[object.kind];
    if (monitor === undefined) throw new Error(`${where}: no schema for this Prometheus Operator kind`);
    const result = monitor.safeParse(object);
    if (!result.success) throw new Error(`${where}: ${z.prettifyError(result.error)}`);
    return;
  }
  const Model = await modelFor(object.apiVersion, object.kind);
  try {
    new Model(object).validate();
  } catch (error) {
    const message = (error as Error).message;
    if (object['status'] === undefined && /required property '?status/.test(message)) {
      new Model({ ...object, status: {} }).validate();
      return;
    }
    throw new Error(`${where}: ${message}`, { cause: error });
  }
}

export async function validateAll(objects: readonly K8sObject[]): Promise<void> {
  for (const object of objects) await validateObject(object);
}
