import type { HandlerContext, ResourceRequest } from './context.ts';
import type { ResourceDefinition } from './registry.ts';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import type { FieldRequirement, LabelRequirement } from './selectors.ts';
import { KubeApiError } from './types.ts';
import type { JsonObject, StoredObject } from './types.ts';
import type { WatchRequest } from './watch.ts';

function selectors(r: ResourceRequest): { labels: LabelRequirement[]; fields: FieldRequirement[] } {
  const labels = parseLabelSelector(r.query.get('labelSelector') ?? undefined);
  const allowed = ['metadata.name', 'metadata.namespace', ...r.def.fieldSelectors];
  const fields = parseFieldSelector(r.query.get('fieldSelector') ?? undefined, allowed);
  return { labels, fields };
}

function parseRv(value: string, what = 'resourceVersion'): number {
  if (!/^\d+$/.test(value))
    throw new KubeApiError(
      400,
      `${what}: Invalid value: "${value}": must be a non-negative integer`,
      'BadRequest',
    );
  return Number(value);
}

function keyOf(obj: StoredObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

function encodeContinue(rv: number, key: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: key })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      rv?: unknown;
      start?: unknown;
    };
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string')
      return { rv: parsed.rv, start: parsed.start };
  } catch {
    // fall through
  }
  throw new KubeApiError(
    400,
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

export function listItem(def: ResourceDefinition, obj: StoredObject): JsonObject {
  if (!def.builtin) return obj;
  // Typed lists of built-in resources carry no kind/apiVersion on their items.
  const { kind: _k, apiVersion: _a, ...rest } = obj;
  return rest;
}

export function list(ctx: HandlerContext, r: ResourceRequest): unknown {
  const { labels, fields } = selectors(r);
  const token = r.query.get('continue');
  const rvParam = r.query.get('resourceVersion') ?? '';
  let listRv = ctx.store.resourceVersion;
  let items: StoredObject[];
  let start = '';
  if (token) {
    const decoded = decodeContinue(token);
    if (decoded.rv < ctx.store.oldestResourceVersion) {
      throw new KubeApiError(
        410,
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        'Expired',
      );
    }
    listRv = decoded.rv;
    start = decoded.start;
    items = ctx.store.listAt(r.def, listRv, r.namespace);
  } else if (rvParam !== '' && r.query.get('resourceVersionMatch') === 'Exact') {
    listRv = parseRv(rvParam);
    items = ctx.store.listAt(r.def, listRv, r.namespace);
  } else {
    if (rvParam !== '') parseRv(rvParam);
    items = ctx.store.list(r.def, r.namespace);
  }
  items = items.filter(
    (o) => keyOf(o) > start && matchLabels(labels, o.metadata.labels) && matchFields(fields, o),
  );
  const metadata: JsonObject = { resourceVersion: String(listRv) };
  const limit = Number(r.query.get('limit') ?? '0');
  if (Number.isInteger(limit) && limit > 0 && items.length > limit) {
    const last = items[limit - 1];
    if (last) metadata.continue = encodeContinue(listRv, keyOf(last));
    if (labels.length === 0 && fields.length === 0) metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  return {
    kind: r.def.listKind,
    apiVersion: r.def.apiVersion,
    metadata,
    items: items.map((o) => listItem(r.def, o)),
  };
}

export function deleteCollection(ctx: HandlerContext, r: ResourceRequest): unknown {
  const { labels, fields } = selectors(r);
  const deleted: JsonObject[] = [];
  for (const obj of ctx.store.list(r.def, r.namespace)) {
    if (!matchLabels(labels, obj.metadata.labels) || !matchFields(fields, obj)) continue;
    deleted.push(listItem(r.def, ctx.store.remove(r.def, obj.metadata.namespace, obj.metadata.name).object));
  }
  return {
    kind: r.def.listKind,
    apiVersion: r.def.apiVersion,
    metadata: { resourceVersion: String(ctx.store.resourceVersion) },
    items: deleted,
  };
}

export function watchRequest(ctx: HandlerContext, r: ResourceRequest): WatchRequest {
  const { labels, fields } = selectors(r);
  if (r.name !== undefined) fields.push({ path: 'metadata.name', op: '=', value: r.name });
  const rv = r.query.get('resourceVersion') ?? undefined;
  if (rv !== undefined && rv !== '') parseRv(rv);
  const timeout = r.query.get('timeoutSeconds');
  const watch: WatchRequest = {
    def: r.def,
    labels,
    fields,
    allowBookmarks: r.query.get('allowWatchBookmarks') === 'true',
    sendInitialEvents: r.query.get('sendInitialEvents') === 'true',
    bookmarkIntervalMs: ctx.bookmarkIntervalMs(),
  };
  if (r.namespace !== undefined) watch.namespace = r.namespace;
  if (rv !== undefined) watch.resourceVersion = rv;
  if (timeout !== null && timeout !== '') watch.timeoutSeconds = Number(timeout);
  return watch;
}
