// Writes values.yaml and values.schema.json of every adapter chart from adapters.ts and schema.ts,
// taking each chart's event types from its package's catalogue (`<NAME>_EVENT_TYPES` exported by
// packages/<name>/src/index.ts) when the package exports one.
//
//   node deploy/helm/generate.ts          write the files
//   node deploy/helm/generate.ts --check  exit 1 if a file differs from what would be written
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { stringify } from 'yaml';
import type { EventTypeInfo } from '@tributary/core';
import { CHARTS, type ChartSpec } from './adapters.ts';
import {
  directModeRule,
  ingressSchema,
  podSchemaProperties,
  secretSchema,
  sourceSchemaProperties,
  type Schema,
} from './schema.ts';

const HELM_DIR = fileURLToPath(new URL('.', import.meta.url));
const PACKAGES_DIR = fileURLToPath(new URL('../../packages/', import.meta.url));

export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
}

/** The package's own catalogue, or undefined when the package or its export does not exist (yet). */
export async function packageCatalogue(name: string): Promise<readonly EventTypeInfo[] | undefined> {
  const index = join(PACKAGES_DIR, name, 'src', 'index.ts');
  if (!existsSync(index)) return undefined;
  const module = (await import(pathToFileURL(index).href)) as Record<string, unknown>;
  const catalogue = module[`${name.toUpperCase()}_EVENT_TYPES`];
  return Array.isArray(catalogue) ? (catalogue as EventTypeInfo[]) : undefined;
}

export async function generate(): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const spec of CHARTS) {
    const types = spec.source ? ((await packageCatalogue(spec.name)) ?? spec.eventTypes) : [];
    const dir = join(HELM_DIR, spec.name);
    files.push(await formatted(join(dir, 'values.yaml'), valuesYaml(spec, types)));
    files.push(await formatted(join(dir, 'values.schema.json'), JSON.stringify(valuesSchema(spec))));
  }
  return files;
}

/** As the repository's prettier would write it, so `npm run format` leaves generated files alone. */
async function formatted(path: string, text: string): Promise<GeneratedFile> {
  const options = (await resolveConfig(path)) ?? {};
  return { path, text: await format(text, { ...options, filepath: path }) };
}

function valuesSchema(spec: ChartSpec): Schema {
  const properties: Record<string, Schema> = {
    ...spec.schema,
    ...(spec.source ? sourceSchemaProperties() : {}),
    ...(spec.secretKeys.length > 0 ? { secret: secretSchema(spec.secretKeys) } : {}),
    ...(spec.webhook ? { ingress: ingressSchema } : {}),
    ...podSchemaProperties(),
  };
  const rules = [...(spec.source ? [directModeRule] : []), ...(spec.rules ?? [])];
  return {
    $schema: 'https://json-schema.org/draft-07/schema#',
    title: `Values of the ${spec.name} chart`,
    type: 'object',
    additionalProperties: false,
    required: [...Object.keys(spec.schema), ...(spec.source ? ['binding', 'sink'] : []), 'image'],
    properties,
    ...(rules.length > 0 ? { allOf: rules } : {}),
  };
}

function valuesYaml(spec: ChartSpec, types: readonly EventTypeInfo[]): string {
  const parts = [
    `# Values of the ${spec.name} chart. Written by deploy/helm/generate.ts from deploy/helm/adapters.ts:`,
    '# change those and run `node deploy/helm/generate.ts`. values.schema.json checks every key.',
    spec.values.trimEnd(),
    '',
    imageValues(spec.name),
  ];
  if (spec.source) parts.push(sourceValues(types));
  if (spec.secretKeys.length > 0) parts.push(secretValues(spec));
  parts.push(podValues(spec));
  return `${parts.join('\n')}\n`;
}

function imageValues(name: string): string {
  return `nameOverride: ""
fullnameOverride: ""

# The adapter image (deploy/docker/Dockerfile, ADAPTER=${name}). Push it to your registry and set
# repository; a digest (sha256:...) pins it and wins over the tag. The tag defaults to appVersion.
image:
  repository: tributary/${name}
  tag: ""
  digest: ""
  pullPolicy: IfNotPresent
imagePullSecrets: []
`;
}

function sourceValues(types: readonly EventTypeInfo[]): string {
  const typeList = stringify(
    types.map((t) => ({
      type: t.type,
      description: t.description,
      ...(t.schema ? { schema: t.schema } : {}),
    })),
    { lineWidth: 0 },
  );
  return `# How the adapter gets its sink:
#   sinkbinding      a Deployment plus a SinkBinding; Knative injects K_SINK and K_CE_OVERRIDES (the Knative way)
#   containersource  a ContainerSource; Knative creates the Deployment and binds it
#   direct           a Deployment with K_SINK set by the chart, for clusters without Knative Eventing
#                    (needs sink.uri, or a sink.ref of kind Service)
binding:
  mode: sinkbinding

# Where events go (required). ref names an Addressable Knative resolves: a Broker, a Knative or
# Kubernetes Service, a Channel. uri is a path relative to ref, or an absolute URL: then it is the
# whole sink and ref is ignored (--set sink.uri=https://... is enough).
sink:
  ref:
    apiVersion: eventing.knative.dev/v1
    kind: Broker
    name: default
    # namespace: defaults to the release namespace
  uri: ""
  # PEM CA certificates for an https sink (K_CA_CERTS).
  caCerts: ""
  # OIDC audience of the sink (K_AUDIENCE); Knative mounts the token when OIDC is enabled.
  audience: ""

# CloudEvents extension attributes stamped on every event (K_CE_OVERRIDES); names [a-z0-9]+.
ceOverrides:
  extensions: {}
  #  team: payments

# The event registry: EventType objects (eventing.knative.dev) for what the adapter emits. The
# source object also carries the list in its registry.knative.dev/eventTypes annotation.
eventTypes:
  enabled: false
  # v1beta2 (type, source, description, reference), or v1beta3 (Knative 1.14+: attributes).
  apiVersion: eventing.knative.dev/v1beta2
  # The Broker the types are available from; defaults to sink.ref when that is a Broker.
  reference: {}
  #  apiVersion: eventing.knative.dev/v1
  #  kind: Broker
  #  name: default
  # The adapter's catalogue (each entry may add schema and source).
  types:
${typeList.replace(/^/gm, '    ').trimEnd()}

# Delivery to the sink (K_SINK_TIMEOUT, K_SINK_RETRY, K_SINK_BACKOFF_POLICY, K_SINK_BACKOFF_DELAY,
# K_SINK_MODE, K_SINK_CONCURRENCY).
delivery:
  timeoutSeconds: 30
  retry: 5
  backoffPolicy: exponential
  # ISO 8601 duration: the first retry's wait.
  backoffDelay: PT0.05S
  # binary (ce-* headers) or structured (application/cloudevents+json).
  mode: binary
  # Deliveries in flight at once.
  concurrency: 64
`;
}

function secretValues(spec: ChartSpec): string {
  const keys = spec.secretKeys.map((key) => `  #  ${key}: ""`).join('\n');
  return `# Secrets, mounted as files under /var/run/secrets/tributary; the adapter reads <KEY>_FILE.
# Either name a Secret you manage (existingSecret, and list its keys), or give the values and the
# chart creates the Secret. Not both.
secret:
  existingSecret: ""
  keys: [${spec.existingSecretKeys.join(', ')}]
  values: {}
${keys}
`;
}

function podValues(spec: ChartSpec): string {
  const resources = spec.resources ?? { cpu: '10m', memory: '48Mi', limitMemory: '128Mi' };
  return `logLevel: info
# Seconds the adapter may take to finish in-flight deliveries after SIGTERM (SHUTDOWN_GRACE_PERIOD);
# the pod's terminationGracePeriodSeconds is 5 s longer.
shutdownGracePeriodSeconds: 25
replicaCount: 1
# More variables for the adapter (name: value), e.g. K_SINK_BACKOFF_MAX or an adapter's rarer settings.
env: {}
${
  spec.webhook
    ? ''
    : `
# A Service for the metrics port (and the probe port), e.g. for a ServiceMonitor.
service:
  enabled: false
  type: ClusterIP
  port: 80
  annotations: {}
`
}
serviceAccount:
  create: true
  name: ""
  annotations: {}
  # ${spec.kubeApi ? 'The adapter talks to the Kubernetes API.' : 'The adapter never talks to the Kubernetes API.'}
  automountToken: ${spec.kubeApi}

metrics:
  # prometheus.io/scrape, port and path annotations on the pod (/metrics on port 9090).
  scrapeAnnotations: true

podAnnotations: {}
podLabels: {}

# Hardened by default: non-root (65532), read-only root filesystem, no privilege escalation, no
# capabilities. /tmp is a small in-memory emptyDir.
podSecurityContext:
  runAsNonRoot: true
  runAsUser: 65532
  runAsGroup: 65532
  fsGroup: 65532
  seccompProfile:
    type: RuntimeDefault
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  capabilities:
    drop: [ALL]

resources:
  requests:
    cpu: ${resources.cpu}
    memory: ${resources.memory}
  limits:
    memory: ${resources.limitMemory}

nodeSelector: {}
tolerations: []
affinity: {}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const file of await generate()) {
    const current = existsSync(file.path) ? readFileSync(file.path, 'utf8') : undefined;
    if (current === file.text) continue;
    stale++;
    if (check) console.error(`${file.path} is out of date`);
    else writeFileSync(file.path, file.text);
  }
  if (check && stale > 0) {
    console.error('run `node deploy/helm/generate.ts`');
    process.exit(1);
  }
  console.log(check ? 'chart values are up to date' : `wrote ${stale} file(s)`);
}
