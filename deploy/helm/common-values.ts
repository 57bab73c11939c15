// The values every adapter chart shares, declared once each (schema, default, description):
// generate.ts composes them with each adapter's own (adapters.ts) into values.yaml,
// values.schema.json and the chart README, so eight charts document and validate them the same way.
import { CONTEXT_ATTRIBUTES } from '@tributary/core';
import { anyObject, bool, int, kref, obj, oneOf, str, stringMap, type Schema } from './schema.ts';
import { group, value, type Values } from './values.ts';

/** CloudEvents 1.0 context attributes: an override may not replace them (docs/contracts.md §1). */
const CORE_ATTRIBUTES = [...CONTEXT_ATTRIBUTES];
const DURATION = '^([0-9]+(ms|s|m|h))*$';

/** Values Helm adds itself: in the schema only. */
export const HELM_OWN_PROPERTIES: Record<string, Schema> = {
  global: anyObject(),
  'tributary-lib': anyObject(),
};

export function imageValues(name: string): Values {
  return {
    nameOverride: value(str(), '', 'Replaces the chart name in object names.'),
    fullnameOverride: value(
      str(),
      '',
      'Replaces <release>-<chart> as the name of every object (52 characters at most).',
    ),
    image: group(
      `The adapter image (deploy/docker/Dockerfile, ADAPTER=${name}). Push it to your registry and set repository; a digest (sha256:...) pins it and wins over the tag.`,
      {
        repository: value(str({ minLength: 1 }), `tributary/${name}`, 'Image repository.'),
        tag: value(str(), '', 'Image tag; empty: the chart appVersion.'),
        digest: value(
          str({ pattern: '^(sha256:[a-f0-9]{64})?$' }),
          '',
          'sha256:... : the image as repository@digest (`npm run publish-charts -- --digest` sets it).',
        ),
        pullPolicy: value(oneOf('Always', 'IfNotPresent', 'Never'), 'IfNotPresent', 'Image pull policy.'),
      },
      { required: ['repository'] },
    ),
    imagePullSecrets: value(
      { type: 'array', items: obj({ name: str() }) },
      [],
      'Secrets for pulling the image: [{name: regcred}].',
    ),
  };
}

export function sourceValues(): Values {
  return {
    binding: group(
      'How the adapter gets its sink.',
      {
        mode: value(
          oneOf('sinkbinding', 'containersource', 'direct'),
          'sinkbinding',
          'sinkbinding: a Deployment plus a SinkBinding; Knative injects K_SINK and K_CE_OVERRIDES (the Knative way).\ncontainersource: a ContainerSource; Knative creates the Deployment and binds it.\ndirect: a Deployment with K_SINK set by the chart, for clusters without Knative Eventing (needs sink.uri, or a sink.ref of kind Service).',
        ),
      },
      { required: ['mode'] },
    ),
    sink: group(
      'Where events go (required). ref names an Addressable Knative resolves: a Broker, a Knative or Kubernetes Service, a Channel. uri is a path relative to ref, or an absolute URL: then it is the whole sink and ref is ignored (--set sink.uri=https://... is enough).',
      {
        ref: group(
          'The Addressable events go to.',
          {
            apiVersion: value(str({ minLength: 1 }), 'eventing.knative.dev/v1', 'apiVersion of the sink.'),
            kind: value(str({ minLength: 1 }), 'Broker', 'Kind of the sink.'),
            name: value(str({ minLength: 1 }), 'default', 'Name of the sink.'),
            namespace: value(
              str(),
              undefined,
              'Namespace of the sink; defaults to the release namespace.',
              'namespace: team-a',
            ),
          },
          { required: ['apiVersion', 'kind', 'name'] },
        ),
        uri: value(str(), '', 'A path relative to ref, or an absolute URL (then the whole sink).'),
        caCerts: value(str(), '', 'PEM CA certificates for an https sink (K_CA_CERTS).'),
        audience: value(
          str(),
          '',
          'OIDC audience of the sink (its status.address.audience). In the Knative modes it goes into the Destination and Knative mounts a token for it at /oidc/token, which the adapter sends; in direct mode the adapter requests tokens for it itself (oidc).',
        ),
      },
      {
        anyOf: [
          { required: ['uri'], properties: { uri: { minLength: 1 } } },
          { required: ['ref'], properties: { ref: { required: ['name'] } } },
        ],
      },
    ),
    oidc: group(
      "OIDC sender identity without Knative's token mount: with sink.audience set in direct mode (or with tokenRequest in any mode), the chart sets K_AUDIENCE and K_OIDC_SERVICE_ACCOUNT and the adapter asks the Kubernetes TokenRequest API for tokens of this ServiceAccount; the chart grants the pod's own ServiceAccount create on exactly that account's serviceaccounts/token.",
      {
        tokenRequest: value(bool(), false, 'Request tokens in every binding mode, not only in direct mode.'),
        serviceAccountName: value(
          str(),
          '',
          "The ServiceAccount the tokens identify (what the sink's EventPolicies name). Empty: the chart creates <fullname>-oidc.",
        ),
      },
    ),
    ceOverrides: group('CloudEvents extension attributes stamped on every event (K_CE_OVERRIDES).', {
      extensions: value(
        {
          type: 'object',
          propertyNames: { pattern: '^[a-z0-9]+$', not: { enum: CORE_ATTRIBUTES } },
          additionalProperties: { type: 'string' },
        },
        {},
        'Extension name ([a-z0-9]+, never a core attribute) to value.',
        'team: payments',
      ),
    }),
    eventTypes: group(
      "The event registry: EventType objects (eventing.knative.dev) for what this release emits: the adapter's catalogue (templates/_catalogue.tpl, from its Adapter.eventTypes) narrowed to the types the adapter's own filter values let through, with source wherever it is known at render time.",
      {
        enabled: value(bool(), false, 'Create the EventTypes.'),
        apiVersion: value(
          oneOf('eventing.knative.dev/v1beta2', 'eventing.knative.dev/v1beta3'),
          'eventing.knative.dev/v1beta2',
          'v1beta2 (type, source, description, reference), or v1beta3 (Knative 1.14+: attributes).',
        ),
        reference: value(
          { ...kref([]), properties: { apiVersion: str(), kind: str(), name: str(), namespace: str() } },
          {},
          'The Broker the types are available from; defaults to sink.ref when that is a Broker.',
          'apiVersion: eventing.knative.dev/v1\nkind: Broker\nname: default',
        ),
        types: value(
          {
            type: 'array',
            items: obj(
              { type: str({ minLength: 1 }), description: str(), schema: str(), source: str() },
              { required: ['type'] },
            ),
          },
          [],
          'Empty: the catalogue as filtered. Else exactly these ({type, description, schema, source}).',
        ),
      },
      { required: ['enabled', 'apiVersion', 'types'] },
    ),
    delivery: group(
      'Delivery to the sink (K_SINK_TIMEOUT, K_SINK_RETRY, K_SINK_BACKOFF_POLICY, K_SINK_BACKOFF_DELAY, K_SINK_MODE, K_SINK_CONCURRENCY).',
      {
        timeoutSeconds: value(int(1), 30, 'Seconds one delivery attempt may take.'),
        retry: value(int(0, 100), 5, 'Retries after a failed attempt.'),
        backoffPolicy: value(
          oneOf('exponential', 'linear'),
          'exponential',
          'How the wait grows between retries.',
        ),
        backoffDelay: value(str({ pattern: '^P' }), 'PT0.05S', "ISO 8601 duration: the first retry's wait."),
        mode: value(
          oneOf('binary', 'structured'),
          'binary',
          'binary (ce-* headers) or structured (application/cloudevents+json).',
        ),
        concurrency: value(int(1, 4096), 64, 'Deliveries in flight at once.'),
      },
    ),
  };
}

/** secret: every key becomes a file under /var/run/secrets/tributary read through <KEY>_FILE. */
export function secretValues(keys: readonly string[], existingKeys: readonly string[]): Values {
  const example = keys[0] ?? '';
  const keyName = example === 'GITHUB_ACCESS_TOKEN' ? 'accessToken' : 'token';
  return {
    secret: group(
      "Secrets, mounted as files under /var/run/secrets/tributary; the adapter reads <KEY>_FILE and picks up a rotated value on restart (the pod's checksum/secret annotation follows secret.values). Three ways, per key: keyRefs (a key of any Secret), existingSecret (a Secret whose keys are named as the variables, listed in keys), or values (the chart creates the Secret). existingSecret and values exclude each other; keyRefs wins over both for its keys.",
      {
        existingSecret: value(str(), '', 'A Secret you manage whose keys are named as the variables.'),
        keys: value(
          { type: 'array', items: { enum: [...keys] }, uniqueItems: true },
          [...existingKeys],
          `The keys of existingSecret to mount, of ${keys.join(', ')}.`,
        ),
        values: value(
          obj(Object.fromEntries(keys.map((key) => [key, str()]))),
          {},
          'Secret values the chart puts in a Secret of its own.',
          keys.map((key) => `${key}: ""`).join('\n'),
        ),
        keyRefs: value(
          obj(
            Object.fromEntries(
              keys.map((key) => [
                key,
                obj(
                  { name: str({ minLength: 1 }), key: str({ minLength: 1 }) },
                  { required: ['name', 'key'] },
                ),
              ]),
            ),
          ),
          {},
          "Each key from a key of a Secret you already have, as a GitHubSource's secretKeyRef does.",
          `${example}: {name: my-secret, key: ${keyName}}`,
        ),
      },
      {
        if: { required: ['existingSecret'], properties: { existingSecret: { minLength: 1 } } },
        then: { properties: { values: { maxProperties: 0 }, keys: { minItems: 1 } } },
      },
    ),
  };
}

/** service: on for the charts that receive HTTP pushes, off (metrics only) for the others. */
export function serviceValues(webhook: boolean): Values {
  return {
    service: group(
      webhook
        ? "The Service the sender posts to (port → the adapter's PORT 8080; metrics on 9090)."
        : 'A Service for the metrics port (and the probe port), e.g. for a ServiceMonitor.',
      {
        enabled: value(bool(), webhook, 'Create the Service.'),
        type: value(oneOf('ClusterIP', 'NodePort', 'LoadBalancer'), 'ClusterIP', 'Service type.'),
        port: value(int(1, 65535), 80, "Service port of the adapter's http port."),
        annotations: value(stringMap(), {}, 'Service annotations.'),
      },
    ),
  };
}

export function ingressValues(path: string): Values {
  return {
    ingress: group(
      'An Ingress that makes the Service reachable from outside: the URL to register is printed by `helm status`.',
      {
        enabled: value(bool(), false, 'Create the Ingress.'),
        className: value(str(), '', 'ingressClassName.'),
        annotations: value(stringMap(), {}, 'Ingress annotations.'),
        host: value(str(), '', 'Public host name, e.g. events.example.com (required when enabled).'),
        path: value(str({ pattern: '^/' }), path, 'Path routed to the adapter.'),
        pathType: value(oneOf('Prefix', 'Exact', 'ImplementationSpecific'), 'Prefix', 'Ingress pathType.'),
        tls: value(
          { type: 'array', items: anyObject() },
          [],
          'Ingress TLS entries.',
          '- secretName: events-example-com-tls\n  hosts: [events.example.com]',
        ),
      },
      { if: { properties: { enabled: { const: true } } }, then: { properties: { host: { minLength: 1 } } } },
    ),
  };
}

const monitor = (what: string): Values => ({
  enabled: value(bool(), false, `Create the ${what}.`),
  interval: value(str({ pattern: DURATION }), '', "Scrape interval, e.g. 30s; empty: Prometheus's default."),
  scrapeTimeout: value(str({ pattern: DURATION }), '', "Scrape timeout; empty: Prometheus's default."),
  labels: value(stringMap(), {}, 'Labels your Prometheus selects monitors by.'),
});

export interface PodOptions {
  readonly name: string;
  readonly webhook: boolean;
  readonly kubeApi: boolean;
  readonly resources?: { readonly cpu: string; readonly memory: string; readonly limitMemory: string };
}

export function podValues(options: PodOptions): Values {
  const resources = options.resources ?? { cpu: '10m', memory: '48Mi', limitMemory: '128Mi' };
  const percent = { type: ['integer', 'string'], pattern: '^[0-9]+%?$' };
  return {
    logLevel: value(oneOf('debug', 'info', 'warn', 'error'), 'info', 'LOG_LEVEL.'),
    shutdownGracePeriodSeconds: value(
      int(1, 3600),
      25,
      "Seconds the adapter may take to finish in-flight deliveries after SIGTERM (SHUTDOWN_GRACE_PERIOD); the pod's terminationGracePeriodSeconds is 5 s longer.",
    ),
    replicaCount: value(int(0), 1, 'Replicas of the Deployment.'),
    env: value(
      {
        type: 'object',
        propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        additionalProperties: {
          anyOf: [
            { type: ['string', 'number', 'boolean'] },
            obj({ valueFrom: anyObject() }, { required: ['valueFrom'] }),
          ],
        },
      },
      {},
      "More variables for the adapter, e.g. K_SINK_BACKOFF_MAX or an adapter's rarer settings: name: value, or name: {valueFrom: {secretKeyRef: {name, key}}} (any EnvVarSource). A name the chart sets already (LOG_LEVEL, GITHUB_URL, ...) is replaced, never duplicated.",
    ),
    envFrom: value(
      { type: 'array', items: anyObject() },
      [],
      "Whole ConfigMaps or Secrets as variables (the container's envFrom), e.g. [{secretRef: {name: aws-creds}}].",
    ),
    extraVolumes: value(
      {
        type: 'array',
        items: obj({ name: str({ minLength: 1 }) }, { required: ['name'], additionalProperties: true }),
      },
      [],
      'More volumes, e.g. a GitHub Enterprise CA bundle from a ConfigMap (then point env NODE_EXTRA_CA_CERTS at the mounted file).',
    ),
    extraVolumeMounts: value(
      {
        type: 'array',
        items: obj(
          { name: str({ minLength: 1 }), mountPath: str({ pattern: '^/' }) },
          { required: ['name', 'mountPath'], additionalProperties: true },
        ),
      },
      [],
      'Their mounts in the adapter container. The root filesystem is read-only; mount what you write.',
    ),
    ...(options.webhook ? {} : serviceValues(false)),
    serviceAccount: group("The pod's ServiceAccount.", {
      create: value(bool(), true, 'Create one for the release.'),
      name: value(str(), '', 'Its name (create) or the existing one to use; empty: <fullname> (or default).'),
      annotations: value(stringMap(), {}, 'ServiceAccount annotations (IRSA, workload identity).'),
      automountToken: value(
        bool(),
        options.kubeApi,
        options.kubeApi
          ? 'Mount its token: the adapter talks to the Kubernetes API.'
          : 'Mount its token; the adapter never talks to the Kubernetes API unless it elects a leader or requests OIDC tokens, which mount it anyway.',
      ),
    }),
    metrics: group('Prometheus metrics (/metrics on port 9090).', {
      scrapeAnnotations: value(bool(), true, 'prometheus.io/scrape, port and path annotations on the pod.'),
    }),
    podAnnotations: value(stringMap(), {}, 'Annotations of the adapter pods.'),
    podLabels: value(stringMap(), {}, "Labels of the adapter pods (besides the chart's own)."),
    podSecurityContext: value(
      anyObject(),
      {
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        fsGroup: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      'Hardened by default: non-root 65532, RuntimeDefault seccomp.',
    ),
    securityContext: value(
      anyObject(),
      {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      },
      'Read-only root filesystem, no privilege escalation, no capabilities. /tmp is a small in-memory emptyDir.',
    ),
    resources: value(
      anyObject(),
      {
        requests: { cpu: resources.cpu, memory: resources.memory },
        limits: { memory: resources.limitMemory },
      },
      'Requests and limits of the adapter container.',
    ),
    nodeSelector: value(stringMap(), {}, 'Pod nodeSelector.'),
    tolerations: value({ type: 'array', items: anyObject() }, [], 'Pod tolerations.'),
    affinity: value(anyObject(), {}, 'Pod affinity.'),
    topologySpreadConstraints: value(
      {
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
      [],
      "Spread replicas over zones or nodes; an entry without labelSelector selects this release's pods.",
      '- {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}',
    ),
    priorityClassName: value(str(), '', 'Pod priorityClassName.'),
    podDisruptionBudget: group(
      "A PodDisruptionBudget for the adapter's pods: minAvailable, or else maxUnavailable (default 1).",
      {
        enabled: value(bool(), false, 'Create the PodDisruptionBudget.'),
        minAvailable: value(
          percent,
          undefined,
          'Pods (or a percentage) that must stay up.',
          'minAvailable: 1',
        ),
        maxUnavailable: value(percent, 1, 'Pods (or a percentage) that may be down at once.'),
      },
    ),
    autoscaling: group(
      `A HorizontalPodAutoscaler (autoscaling/v2) for the Deployment (sinkbinding and direct modes; it then owns the replica count).${options.name === 'sqs' ? ' KEDA (keda.enabled) scales on queue depth instead: enable one.' : ''}`,
      {
        enabled: value(bool(), false, 'Create the HorizontalPodAutoscaler.'),
        minReplicas: value(int(1), 1, 'Fewest replicas.'),
        maxReplicas: value(int(1), 5, 'Most replicas.'),
        targetCPUUtilizationPercentage: value(int(1, 1000), 80, 'Average CPU utilisation to keep.'),
        targetMemoryUtilizationPercentage: value(
          int(1, 1000),
          undefined,
          'Average memory utilisation to keep.',
          'targetMemoryUtilizationPercentage: 80',
        ),
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
    serviceMonitor: group(
      "Prometheus Operator ServiceMonitor for /metrics on port 9090, through the chart's Service (needs service.enabled).",
      monitor('ServiceMonitor'),
    ),
    podMonitor: group(
      'Prometheus Operator PodMonitor for /metrics on port 9090, straight to the pods.',
      monitor('PodMonitor'),
    ),
  };
}
