import type { ServerResponse } from 'node:http';
import type { HandlerContext } from './context.ts';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from './discovery.ts';
import { handleResource } from './handlers.ts';
import { sendFailure, sendJson, sendText } from './http-util.ts';
import { parseRoute } from './routes.ts';
import { KubeApiError } from './types.ts';
import { notFound } from './validation.ts';

/** A request ready to be served (body read, auth and fault injection passed). */
export interface IncomingCall {
  method: string;
  url: URL;
  watch: boolean;
  contentType: string;
  body: Buffer;
  /** `host:port` announced in `/api`. */
  serverAddress: string;
}

const ROOT_PATHS = ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/version'];

/** Routes a request to discovery or to the resource handlers. */
export function dispatch(ctx: HandlerContext, call: IncomingCall, res: ServerResponse): void {
  const route = parseRoute(ctx.registry, call.url.pathname);
  switch (route.kind) {
    case 'root':
      return sendJson(res, 200, { paths: ROOT_PATHS });
    case 'version':
      return sendJson(res, 200, SERVER_VERSION);
    case 'health':
      return sendText(res, 200, 'ok');
    case 'api':
      return sendJson(res, 200, apiVersions(call.serverAddress));
    case 'apis':
      return sendJson(res, 200, apiGroupList(ctx.registry));
    case 'group':
      return sendJson(res, 200, apiGroupDoc(ctx.registry, route.group));
    case 'resourceList': {
      const doc = apiResourceList(ctx.registry, route.group, route.version);
      if (doc === undefined) break;
      return sendJson(res, 200, doc);
    }
    case 'resource':
      if (route.def.key === '/v1/serviceaccounts' && route.subresource === 'token' && route.name !== undefined) {
        return serveTokenRequest(ctx, call, route.namespace ?? '', route.name, res);
      }
      return handleResource(
        ctx,
        {
          method: call.method,
          def: route.def,
          watch: call.watch || route.legacyWatch,
          query: call.url.searchParams,
          contentType: call.contentType,
          body: call.body,
          ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
          ...(route.name !== undefined ? { name: route.name } : {}),
          ...(route.subresource !== undefined ? { subresource: route.subresource } : {}),
        },
        res,
      );
    case 'notFound':
      break;
  }
  sendFailure(res, 404, 'the server could not find the requested resource', 'NotFound');
}

/** `POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token`: a TokenRequest, answered 201. */
function serveTokenRequest(ctx: HandlerContext, call: IncomingCall, namespace: string, name: string, res: ServerResponse): void {
  if (call.method !== 'POST') throw new KubeApiError(405, 'the server does not allow this method on the requested resource');
  const def = ctx.registry.lookup('v1', 'ServiceAccount');
  if (!ctx.store.get(def, namespace, name)) throw notFound(def, name);
  let body: unknown;
  try {
    body = JSON.parse(call.body.toString('utf8'));
  } catch (error) {
    throw new KubeApiError(400, `couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
  sendJson(res, 201, ctx.tokens.issue(namespace, name, body));
}
