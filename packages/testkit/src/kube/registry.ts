import { KubeApiError } from './types.ts';

/** What a test passes to `registerResource`. */
export interface ResourceDefinitionInput {
  /** API group; `''` (or omitted) for the core group. */
  group?: string;
  version: string;
  kind: string;
  /** Lower-case plural resource name used in URLs, e.g. `widgets`. */
  plural: string;
  namespaced: boolean;
  singular?: string;
  shortNames?: string[];
  /** Whether `/status` is a subresource (main-resource writes then keep status). Default false. */
  statusSubresource?: boolean;
  /** Extra field selectors accepted besides `metadata.name` / `metadata.namespace`. */
  fieldSelectors?: string[];
  /** Whether DELETE answers with the object (true) or a `Status` (false). Default true. */
  deleteReturnsObject?: boolean;
  /** Dotted paths of `metav1.MicroTime` fields (must carry exactly 6 fractional digits). */
  microTimeFields?: string[];
}

/** A resource as known to the server. */
export interface ResourceDefinition {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  statusSubresource: boolean;
  fieldSelectors: string[];
  deleteReturnsObject: boolean;
  microTimeFields: string[];
  /** True for built-in types: list items then carry no kind/apiVersion, as with the real server. */
  builtin: boolean;
  /** `v1` or `<group>/<version>`. */
  apiVersion: string;
  /** `pods` or `leases.coordination.k8s.io` (used in error messages). */
  qualifiedName: string;
  /** Unique store key. */
  key: string;
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function resourceVerbs(): string[] {
  return [...VERBS];
}

function define(input: ResourceDefinitionInput, builtin: boolean): ResourceDefinition {
  const group = input.group ?? '';
  const plural = input.plural.toLowerCase();
  return {
    group,
    version: input.version,
    kind: input.kind,
    listKind: `${input.kind}List`,
    plural,
    singular: (input.singular ?? input.kind).toLowerCase(),
    namespaced: input.namespaced,
    shortNames: input.shortNames ?? [],
    statusSubresource: input.statusSubresource ?? false,
    fieldSelectors: input.fieldSelectors ?? [],
    deleteReturnsObject: input.deleteReturnsObject ?? true,
    microTimeFields: input.microTimeFields ?? [],
    builtin,
    apiVersion: group === '' ? input.version : `${group}/${input.version}`,
    qualifiedName: group === '' ? plural : `${plural}.${group}`,
    key: `${group}/${input.version}/${plural}`,
  };
}

const POD_FIELDS = [
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.nominatedNodeName',
];
const EVENT_FIELDS = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
];

const BUILTINS: ResourceDefinitionInput[] = [
  {
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    statusSubresource: true,
    fieldSelectors: ['status.phase'],
  },
  {
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
    shortNames: ['po'],
    statusSubresource: true,
    fieldSelectors: POD_FIELDS,
  },
  {
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
    shortNames: ['cm'],
    deleteReturnsObject: false,
  },
  {
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
    deleteReturnsObject: false,
  },
  {
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
  },
  {
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    namespaced: true,
    shortNames: ['svc'],
    statusSubresource: true,
  },
  {
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    shortNames: ['ev'],
    fieldSelectors: EVENT_FIELDS,
    deleteReturnsObject: false,
    microTimeFields: ['eventTime', 'series.lastObservedTime'],
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    shortNames: ['deploy'],
    statusSubresource: true,
    deleteReturnsObject: false,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    namespaced: true,
    shortNames: ['rs'],
    statusSubresource: true,
    deleteReturnsObject: false,
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    plural: 'leases',
    namespaced: true,
    deleteReturnsObject: false,
    microTimeFields: ['spec.acquireTime', 'spec.renewTime'],
  },
];

/** Known resources, keyed by group/version/plural. */
export class ResourceRegistry {
  readonly #byKey = new Map<string, ResourceDefinition>();

  constructor() {
    for (const input of BUILTINS) this.#add(define(input, true));
  }

  register(input: ResourceDefinitionInput): ResourceDefinition {
    return this.#add(define(input, false));
  }

  #add(def: ResourceDefinition): ResourceDefinition {
    this.#byKey.set(def.key, def);
    return def;
  }

  all(): ResourceDefinition[] {
    return [...this.#byKey.values()];
  }

  /** By URL coordinates. */
  find(group: string, version: string, plural: string): ResourceDefinition | undefined {
    return this.#byKey.get(`${group}/${version}/${plural}`);
  }

  /** By `apiVersion` and kind, plural or singular name (kind match is exact, names are case-insensitive). */
  lookup(apiVersion: string, kindOrPlural: string): ResourceDefinition {
    const lower = kindOrPlural.toLowerCase();
    for (const def of this.#byKey.values()) {
      if (def.apiVersion !== apiVersion) continue;
      if (def.kind === kindOrPlural || def.plural === lower || def.singular === lower) return def;
    }
    throw new KubeApiError(404, `the server doesn't have a resource type "${kindOrPlural}" in ${apiVersion}`);
  }

  /** `group -> versions` in registration order; the core group is `''`. */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const def of this.#byKey.values()) {
      const versions = out.get(def.group) ?? [];
      if (!versions.includes(def.version)) versions.push(def.version);
      out.set(def.group, versions);
    }
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceDefinition[] {
    return this.all().filter((d) => d.group === group && d.version === version);
  }
}
