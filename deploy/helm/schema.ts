// The values.schema.json parts every adapter chart shares. generate.ts composes them with each
// adapter's own part (adapters.ts), so eight charts validate the common values the same way.
import { CONTEXT_ATTRIBUTES } from '@tributary/core';
export type Schema = Record<string, unknown>;

export const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
export const int = (minimum?: number, maximum?: number): Schema => ({
  type: 'integer',
  ...(minimum === undefined ? {} : { minimum }),
  ...(maximum === undefined ? {} : { maximum }),
});
export const bool = (): Schema => ({ type: 'boolean' });
export const oneOf = (...values: string[]): Schema => ({ type: 'string', enum: values });
export const obj = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...extra,
});
/** A free-form map (annotations, labels, resources, affinity: Kubernetes validates those). */
export const anyObject = (): Schema => ({ type: 'object' });
const stringMap = (): Schema => ({ type: 'object', additionalProperties: { type: 'string' } });

/** CloudEvents 1.0 context attributes: an override may not replace them (CONTRACTS §1). */
const CORE_ATTRIBUTES = [...CONTEXT_ATTRIBUTES];

const kref = (required: string[]): Schema =>
  obj(
    {
      apiVersion: str({ minLength: 1 }),
      kind: str({ minLength: 1 }),
      name: str({ minLength: 1 }),
      namespace: str(),
    },
    { required },
  );

export const imageSchema = obj(
  {
    repository: str({ minLength: 1 }),
    tag: str(),
    digest: str({ pattern: '^(sha256:[a-f0-9]{64})?$' }),
    pullPolicy: oneOf('Always', 'IfNotPresent', 'Never'),
  },
  { required: ['repository'] },
);

/** Knative's Destination: a ref, a uri, or both (then the uri is relative to the ref). */
export const sinkSchema: Schema = obj(
  { ref: kref(['apiVersion', 'kind', 'name']), uri: str(), caCerts: str(), audience: str() },
  {
    description: 'Where events go: sink.ref (a Broker, Service, Channel) and/or sink.uri. Required.',
    anyOf: [
      { required: ['uri'], properties: { uri: { minLength: 1 } } },
      { required: ['ref'], properties: { ref: { required: ['name'] } } },
    ],
  },
);

export const bindingSchema = obj(
  { mode: oneOf('sinkbinding', 'containersource', 'direct') },
  { required: ['mode'] },
);

export const ceOverridesSchema = obj({
  extensions: {
    type: 'object',
    propertyNames: { pattern: '^[a-z0-9]+$', not: { enum: CORE_ATTRIBUTES } },
    additionalProperties: { type: 'string' },
  },
});

export const eventTypesSchema = obj(
  {
    enabled: bool(),
    apiVersion: oneOf('eventing.knative.dev/v1beta2', 'eventing.knative.dev/v1beta3'),
    reference: { ...kref([]), properties: { apiVersion: str(), kind: str(), name: str(), namespace: str() } },
    types: {
      type: 'array',
      items: obj(
        { type: str({ minLength: 1 }), description: str(), schema: str(), source: str() },
        { required: ['type'] },
      ),
    },
  },
  { required: ['enabled', 'apiVersion', 'types'] },
);

export const deliverySchema = obj({
  timeoutSeconds: int(1),
  retry: int(0, 100),
  backoffPolicy: oneOf('exponential', 'linear'),
  backoffDelay: str({ pattern: '^P' }),
  mode: oneOf('binary', 'structured'),
  concurrency: int(1, 4096),
});

/** An existing Secret or inline values, not both; every key becomes a file read through <KEY>_FILE. */
export function secretSchema(keys: readonly string[]): Schema {
  return obj(
    {
      existingSecret: str(),
      keys: { type: 'array', items: { enum: [...keys] }, uniqueItems: true },
      values: obj(Object.fromEntries(keys.map((key) => [key, str()]))),
      keyRefs: obj(
        Object.fromEntries(
          keys.map((key) => [
            key,
            obj({ name: str({ minLength: 1 }), key: str({ minLength: 1 }) }, { required: ['name', 'key'] }),
          ]),
        ),
      ),
    },
    {
      description: 'Either secret.existingSecret (with secret.keys) or secret.values, not both.',
      if: { required: ['existingSecret'], properties: { existingSecret: { minLength: 1 } } },
      then: { properties: { values: { maxProperties: 0 }, keys: { minItems: 1 } } },
    },
  );
}

export const serviceSchema = obj({
  enabled: bool(),
  type: oneOf('ClusterIP', 'NodePort', 'LoadBalancer'),
  port: int(1, 65535),
  annotations: stringMap(),
});

export const ingressSchema = obj(
  {
    enabled: bool(),
    className: str(),
    annotations: stringMap(),
    host: str(),
    path: str({ pattern: '^/' }),
    pathType: oneOf('Prefix', 'Exact', 'ImplementationSpecific'),
    tls: { type: 'array', items: anyObject() },
  },
  { if: { properties: { enabled: { const: true } } }, then: { properties: { host: { minLength: 1 } } } },
);

export const serviceAccountSchema = obj({
  create: bool(),
  name: str(),
  annotations: stringMap(),
  automountToken: bool(),
});

/** Properties every chart has, source or sink. */
export function podSchemaProperties(): Record<string, Schema> {
  return {
    // Helm adds these two itself.
    global: anyObject(),
    'tributary-lib': anyObject(),
    nameOverride: str(),
    fullnameOverride: str(),
    image: imageSchema,
    imagePullSecrets: { type: 'array', items: obj({ name: str() }) },
    logLevel: oneOf('debug', 'info', 'warn', 'error'),
    shutdownGracePeriodSeconds: int(1, 3600),
    replicaCount: int(0),
    env: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      additionalProperties: {
        anyOf: [
          { type: ['string', 'number', 'boolean'] },
          obj({ valueFrom: anyObject() }, { required: ['valueFrom'] }),
        ],
      },
    },
    service: serviceSchema,
    serviceAccount: serviceAccountSchema,
    envFrom: { type: 'array', items: anyObject() },
    extraVolumes: {
      type: 'array',
      items: obj({ name: str({ minLength: 1 }) }, { required: ['name'], additionalProperties: true }),
    },
    extraVolumeMounts: {
      type: 'array',
      items: obj(
        { name: str({ minLength: 1 }), mountPath: str({ pattern: '^/' }) },
        { required: ['name', 'mountPath'], additionalProperties: true },
      ),
    },
    metrics: obj({ scrapeAnnotations: bool() }),
    podAnnotations: stringMap(),
    podLabels: stringMap(),
    podSecurityContext: anyObject(),
    securityContext: anyObject(),
    resources: anyObject(),
    nodeSelector: stringMap(),
    tolerations: { type: 'array', items: anyObject() },
    affinity: anyObject(),
    topologySpreadConstraints: {
      type: 'array',
      items: obj(
        {
          maxSkew: int(1),
          topologyKey: str({ minLength: 1 }),
          whenUnsatisfiable: oneOf('DoNotSchedule', 'ScheduleAnyway'),
        },
        { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'], additionalProperties: true },
      ),
    },
    priorityClassName: str(),
    podDisruptionBudget: obj({
      enabled: bool(),
      minAvailable: { type: ['integer', 'string'], pattern: '^[0-9]+%?$' },
      maxUnavailable: { type: ['integer', 'string'], pattern: '^[0-9]+%?$' },
    }),
    autoscaling: obj(
      {
        enabled: bool(),
        minReplicas: int(1),
        maxReplicas: int(1),
        targetCPUUtilizationPercentage: int(1, 1000),
        targetMemoryUtilizationPercentage: int(1, 1000),
      },
      {
        if: { properties: { enabled: { const: true } } },
        then: {
          anyOf: [
            { required: ['targetCPUUtilizationPercentage'] },
            { required: ['targetMemoryUtilizationPercentage'] },
          ],
        },
      },
    ),
    serviceMonitor: monitorSchema,
    podMonitor: monitorSchema,
  };
}

/** ServiceMonitor / PodMonitor options (Prometheus Operator durations such as 30s). */
const monitorSchema = obj({
  enabled: bool(),
  interval: str({ pattern: '^([0-9]+(ms|s|m|h))*$' }),
  scrapeTimeout: str({ pattern: '^([0-9]+(ms|s|m|h))*$' }),
  labels: stringMap(),
});

/** Properties of a chart that sends events. */
export function sourceSchemaProperties(): Record<string, Schema> {
  return {
    binding: bindingSchema,
    sink: sinkSchema,
    oidc: obj({ tokenRequest: bool(), serviceAccountName: str() }),
    ceOverrides: ceOverridesSchema,
    eventTypes: eventTypesSchema,
    delivery: deliverySchema,
  };
}

const ABSOLUTE_URI = '^[A-Za-z][A-Za-z0-9+.-]*://';

/** Direct mode has no Knative to resolve a Broker: only an absolute uri or a Kubernetes Service will do. */
export const directModeRule: Schema = {
  description: 'binding.mode=direct needs an absolute sink.uri or a sink.ref of kind Service.',
  if: {
    properties: {
      binding: { properties: { mode: { const: 'direct' } } },
      sink: { not: { required: ['uri'], properties: { uri: { pattern: ABSOLUTE_URI } } } },
    },
  },
  then: { properties: { sink: { properties: { ref: { properties: { kind: { const: 'Service' } } } } } } },
};
