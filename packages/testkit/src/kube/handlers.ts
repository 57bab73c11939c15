import type { ServerResponse } from 'node:http';
import type { HandlerContext, ResourceRequest } from './context.ts';
import { sendJson } from './http-util.ts';
import { isJsonObject } from './json.ts';
import { deleteCollection, list, watchRequest } from './list.ts';
import { jsonPatch, mergePatch } from './patch.ts';
import { KubeApiError } from './types.ts';
import type { JsonObject } from './types.ts';
import { notFound } from './validation.ts';

export type { HandlerContext, ResourceRequest } from './context.ts';

const methodNotAllowed = (): KubeApiError =>
  new KubeApiError(405, 'the server does not allow this method on the requested resource');

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new KubeApiError(400, `couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

function requireNamespaceExists(ctx: HandlerContext, namespace: string | undefined): void {
  if (!ctx.requireNamespace || namespace === undefined) return;
  const nsDef = ctx.registry.lookup('v1', 'Namespace');
  if (!ctx.store.get(nsDef, undefined, namespace)) throw notFound(nsDef, namespace);
}

function bodyObject(r: ResourceRequest): JsonObject & { metadata: JsonObject } {
  const obj = parseJson(r.body);
  if (!isJsonObject(obj)) throw new KubeApiError(400, 'the request body must be a JSON object');
  if (obj.metadata === undefined) obj.metadata = {};
  if (!isJsonObject(obj.metadata)) throw new KubeApiError(400, 'metadata must be an object');
  const meta = obj.metadata;
  if (r.def.namespaced) {
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== r.namespace) {
      throw new KubeApiError(
        400,
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    meta.namespace = r.namespace;
  }
  return obj as JsonObject & { metadata: JsonObject };
}

function checkName(r: ResourceRequest, obj: JsonObject & { metadata: JsonObject }): void {
  if (obj.metadata.name !== r.name) {
    throw new KubeApiError(
      400,
      `the name of the object (${String(obj.metadata.name ?? '')}) does not match the name on the URL (${r.name ?? ''})`,
    );
  }
}

function patch(ctx: HandlerContext, r: ResourceRequest, name: string): { code: number; body: unknown } {
  const mode = r.subresource === 'status' ? 'status' : 'main';
  const existing = ctx.store.get(r.def, r.namespace, name);
  const doc = parseJson(r.body);
  switch (r.contentType) {
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json':
    case 'application/json-patch+json': {
      if (!existing) throw notFound(r.def, name);
      const patched =
        r.contentType === 'application/json-patch+json'
          ? jsonPatch(existing, doc)
          : mergePatch(existing, doc);
      if (!isJsonObject(patched) || !isJsonObject(patched.metadata))
        throw new KubeApiError(422, 'patch produced an invalid object', 'Invalid');
      if (patched.metadata.name !== name)
        throw new KubeApiError(
          400,
          `the name of the object (${String(patched.metadata.name)}) does not match the name on the URL (${name})`,
        );
      if (patched.metadata.uid !== existing.metadata.uid) {
        throw new KubeApiError(
          409,
          `Precondition failed: UID in precondition: ${String(patched.metadata.uid)}, UID in object meta: ${existing.metadata.uid}`,
          'Conflict',
        );
      }
      return { code: 200, body: ctx.store.replace(r.def, patched, mode) };
    }
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+json': {
      // Server-side apply approximated as "create or merge" (JSON bodies only, no field ownership).
      if (!isJsonObject(doc)) throw new KubeApiError(400, 'apply patch body must be a JSON object');
      if (!existing) {
        const obj = mergePatch({ metadata: { name, namespace: r.namespace } }, doc);
        return { code: 201, body: ctx.store.create(r.def, obj) };
      }
      return { code: 200, body: ctx.store.replace(r.def, mergePatch(existing, doc), mode) };
    }
    default:
      throw new KubeApiError(
        415,
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
      );
  }
}

function remove(ctx: HandlerContext, r: ResourceRequest, name: string): unknown {
  const opts = r.body.length > 0 ? parseJson(r.body) : {};
  const pre = isJsonObject(opts) && isJsonObject(opts.preconditions) ? opts.preconditions : {};
  const cascade = r.def.key === '/v1/namespaces' ? ctx.registry.all().filter((d) => d.namespaced) : [];
  const result = ctx.store.remove(
    r.def,
    r.namespace,
    name,
    {
      uid: typeof pre.uid === 'string' ? pre.uid : undefined,
      resourceVersion: typeof pre.resourceVersion === 'string' ? pre.resourceVersion : undefined,
    },
    cascade,
  );
  if (!result.deleted || r.def.deleteReturnsObject) return result.object;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, group: r.def.group, kind: r.def.plural, uid: result.object.metadata.uid },
  };
}

/** Serves one resource request; throws `KubeApiError` for API errors. */
export function handleResource(ctx: HandlerContext, r: ResourceRequest, res: ServerResponse): void {
  if (r.subresource !== undefined && (r.subresource !== 'status' || !r.def.statusSubresource)) {
    throw new KubeApiError(404, 'the server could not find the requested resource', 'NotFound');
  }
  const name = r.name;
  if (r.watch) {
    if (r.method !== 'GET') throw methodNotAllowed();
    ctx.openWatch(res, watchRequest(ctx, r));
    return;
  }
  if (name === undefined) {
    switch (r.method) {
      case 'GET':
        return sendJson(res, 200, list(ctx, r));
      case 'POST': {
        if (r.def.namespaced && r.namespace === undefined) throw methodNotAllowed();
        requireNamespaceExists(ctx, r.namespace);
        return sendJson(res, 201, ctx.store.create(r.def, bodyObject(r), { rejectResourceVersion: true }));
      }
      case 'DELETE':
        if (r.def.namespaced && r.namespace === undefined) throw methodNotAllowed();
        return sendJson(res, 200, deleteCollection(ctx, r));
      default:
        throw methodNotAllowed();
    }
  }
  switch (r.method) {
    case 'GET': {
      const obj = ctx.store.get(r.def, r.namespace, name);
      if (!obj) throw notFound(r.def, name);
      return sendJson(res, 200, obj);
    }
    case 'PUT': {
      const obj = bodyObject(r);
      checkName(r, obj);
      return sendJson(
        res,
        200,
        ctx.store.replace(r.def, obj, r.subresource === 'status' ? 'status' : 'main'),
      );
    }
    case 'PATCH': {
      const result = patch(ctx, r, name);
      return sendJson(res, result.code, result.body);
    }
    case 'DELETE':
      if (r.subresource !== undefined) throw methodNotAllowed();
      return sendJson(res, 200, remove(ctx, r, name));
    default:
      throw methodNotAllowed();
  }
}
