import type { ResourceDefinition, ResourceRegistry } from './registry.ts';

/** What a request path addresses. */
export type Route =
  | { kind: 'root' }
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'group'; group: string }
  | { kind: 'resourceList'; group: string; version: string }
  | {
      kind: 'resource';
      def: ResourceDefinition;
      /** Set for `/namespaces/<ns>/<plural>` paths. */
      namespace?: string;
      name?: string;
      subresource?: string;
      /** Old-style `/api/v1/watch/...` path. */
      legacyWatch: boolean;
    }
  | { kind: 'notFound' };

function resourceRoute(registry: ResourceRegistry, group: string, version: string, rest: string[]): Route {
  if (rest.length === 0) return { kind: 'resourceList', group, version };
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const def = registry.find(group, version, rest[2] ?? '');
    if (def?.namespaced) {
      if (rest.length > 5) return { kind: 'notFound' };
      return { kind: 'resource', def, namespace: rest[1], name: rest[3], subresource: rest[4], legacyWatch };
    }
  }
  const def = registry.find(group, version, rest[0] ?? '');
  if (!def || rest.length > 3) return { kind: 'notFound' };
  if (def.namespaced && rest.length > 1) return { kind: 'notFound' };
  return { kind: 'resource', def, name: rest[1], subresource: rest[2], legacyWatch };
}

/** Maps a URL path onto the Kubernetes REST layout. */
export function parseRoute(registry: ResourceRegistry, pathname: string): Route {
  let segs: string[];
  try {
    segs = pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return { kind: 'notFound' };
  }
  const [first, second, third] = segs;
  if (first === undefined) return { kind: 'root' };
  if (segs.length === 1 && first === 'version') return { kind: 'version' };
  if (segs.length === 1 && (first === 'healthz' || first === 'livez' || first === 'readyz'))
    return { kind: 'health' };
  if (first === 'api') {
    if (second === undefined) return { kind: 'api' };
    return registry.inGroupVersion('', second).length > 0
      ? resourceRoute(registry, '', second, segs.slice(2))
      : { kind: 'notFound' };
  }
  if (first === 'apis') {
    if (second === undefined) return { kind: 'apis' };
    if (third === undefined)
      return registry.groups().has(second) && second !== ''
        ? { kind: 'group', group: second }
        : { kind: 'notFound' };
    return registry.inGroupVersion(second, third).length > 0 && second !== ''
      ? resourceRoute(registry, second, third, segs.slice(3))
      : { kind: 'notFound' };
  }
  return { kind: 'notFound' };
}
