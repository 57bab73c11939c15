import { z } from 'zod';
import { labelSelectorString } from './label-selector.ts';
import { FILTER_SCHEMA, type SubscriptionsApiFilter } from './event-filter.ts';

export type EventMode = 'Reference' | 'Resource';

/** One configured resource, before API discovery. */
export interface ResourceSpec {
  /** `resources[<n>]`, for messages. */
  readonly at: string;
  readonly group: string;
  readonly version: string;
  /** Plural resource name (Knative's `gvr.Resource`), when configured that way. */
  readonly resource?: string | undefined;
  /** Kind (the ApiServerSource spec's `{apiVersion, kind}`), resolved through discovery. */
  readonly kind?: string | undefined;
  /** Label selector string, applied server-side; '' selects everything. */
  readonly selector: string;
}

export interface SourceConfig {
  readonly namespaces: readonly string[];
  readonly allNamespaces: boolean;
  readonly resources: readonly ResourceSpec[];
  /** Keep only objects whose controller ownerReference matches (empty fields match anything). */
  readonly owner: { readonly apiVersion: string; readonly kind: string } | undefined;
  readonly mode: EventMode;
  readonly filters: readonly SubscriptionsApiFilter[];
  /** Knative's `failFast`: a watch that cannot be established at start fails the adapter. */
  readonly failFast: boolean;
}

const selectorObject = z.object({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.object({
        key: z.string().min(1),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).nullish(),
      }),
    )
    .optional(),
});

// Knative's controller writes `{"gvr":{"Group","Version","Resource"},"selector":"a=b"}`; the
// ApiServerSource spec (and hand-written configs) say `{"apiVersion","kind","selector":{...}}`.
const resourceEntry = z
  .object({
    gvr: z.object({ Group: z.string().default(''), Version: z.string(), Resource: z.string() }).optional(),
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    selector: z.union([z.string(), selectorObject]).nullish(),
  })
  .superRefine((entry, ctx) => {
    if (entry.gvr !== undefined) {
      if (entry.gvr.Version === '')
        ctx.addIssue({ code: 'custom', message: 'gvr.Version is required', path: ['gvr', 'Version'] });
      if (entry.gvr.Resource === '')
        ctx.addIssue({ code: 'custom', message: 'gvr.Resource is required', path: ['gvr', 'Resource'] });
    } else if (!entry.apiVersion || !entry.kind) {
      ctx.addIssue({ code: 'custom', message: 'needs either "gvr" or both "apiVersion" and "kind"' });
    }
  });

export const SOURCE_CONFIG_SCHEMA = z.object({
  // Go marshals a nil slice as null.
  namespaces: z.array(z.string().min(1)).nullish(),
  allNamespaces: z.boolean().optional(),
  resources: z.array(resourceEntry).min(1, 'at least one resource is required'),
  owner: z.object({ apiVersion: z.string().default(''), kind: z.string().default('') }).nullish(),
  // The ApiServerSource API defaults the mode to Reference.
  mode: z.enum(['Reference', 'Resource']).optional(),
  filters: z.array(FILTER_SCHEMA).nullish(),
  failFast: z.boolean().optional(),
});

export type RawSourceConfig = z.infer<typeof SOURCE_CONFIG_SCHEMA>;

/** The parsed document, normalised. `fallbackNamespace` (NAMESPACE) applies when none is listed. */
export function normalizeSourceConfig(
  raw: RawSourceConfig,
  fallbackNamespace: string | undefined,
): SourceConfig {
  const namespaces = [...new Set(raw.namespaces ?? [])];
  if (namespaces.length === 0 && !raw.allNamespaces && fallbackNamespace !== undefined)
    namespaces.push(fallbackNamespace);
  return {
    namespaces,
    allNamespaces: raw.allNamespaces ?? false,
    resources: raw.resources.map((entry, index) => resourceSpec(entry, index)),
    owner: raw.owner ? { apiVersion: raw.owner.apiVersion, kind: raw.owner.kind } : undefined,
    mode: raw.mode ?? 'Reference',
    filters: raw.filters ?? [],
    failFast: raw.failFast ?? false,
  };
}

function resourceSpec(entry: RawSourceConfig['resources'][number], index: number): ResourceSpec {
  const selector =
    entry.selector == null
      ? ''
      : typeof entry.selector === 'string'
        ? entry.selector
        : labelSelectorString(entry.selector);
  const at = `resources[${index}]`;
  if (entry.gvr !== undefined) {
    return { at, group: entry.gvr.Group, version: entry.gvr.Version, resource: entry.gvr.Resource, selector };
  }
  const apiVersion = entry.apiVersion ?? '';
  const slash = apiVersion.lastIndexOf('/');
  return {
    at,
    group: slash === -1 ? '' : apiVersion.slice(0, slash),
    version: slash === -1 ? apiVersion : apiVersion.slice(slash + 1),
    kind: entry.kind,
    selector,
  };
}

/** `v1` or `<group>/<version>`. */
export function groupVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** How a resource is named in messages: `apps/v1 Deployment` or `v1 pods`. */
export function describeSpec(spec: ResourceSpec): string {
  return `${groupVersion(spec.group, spec.version)} ${spec.kind ?? spec.resource ?? ''}`;
}
