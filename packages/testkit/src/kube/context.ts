import type { ServerResponse } from 'node:http';
import type { ResourceDefinition, ResourceRegistry } from './registry.ts';
import type { ObjectStore } from './store.ts';
import type { TokenIssuer } from './token-requests.ts';
import type { WatchRequest } from './watch.ts';

/** Everything the resource handlers need from the server. */
export interface HandlerContext {
  registry: ResourceRegistry;
  store: ObjectStore;
  tokens: TokenIssuer;
  requireNamespace: boolean;
  bookmarkIntervalMs(): number;
  openWatch(res: ServerResponse, request: WatchRequest): void;
}

/** A request addressed at a resource (collection, object or subresource). */
export interface ResourceRequest {
  method: string;
  def: ResourceDefinition;
  namespace?: string;
  name?: string;
  subresource?: string;
  watch: boolean;
  query: URLSearchParams;
  contentType: string;
  body: Buffer;
}
