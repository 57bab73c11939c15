import type { ServerResponse } from 'node:http';
import type { HandlerContext } from './context.ts';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from './discovery.ts';
import { handleResource } from './handlers.ts';
import { sendFailure, sendJson, sendText } from './http-util.ts';
import { parseRoute } from './routes.ts';

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
