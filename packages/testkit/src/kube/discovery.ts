import type { ResourceDefinition, ResourceRegistry } from './registry.ts';
import { resourceVerbs } from './registry.ts';

/** What `GET /version` answers. */
export const SERVER_VERSION = {
  major: '1',
  minor: '34',
  gitVersion: 'v1.34.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-08-27T00:00:00Z',
  goVersion: 'go1.24.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function apiResources(defs: ResourceDefinition[]): unknown[] {
  const out: unknown[] = [];
  for (const def of defs) {
    const entry: Record<string, unknown> = {
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: resourceVerbs(),
    };
    if (def.shortNames.length > 0) entry.shortNames = def.shortNames;
    out.push(entry);
    if (def.statusSubresource) {
      out.push({
        name: `${def.plural}/status`,
        singularName: '',
        namespaced: def.namespaced,
        kind: def.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return out;
}

/** `GET /api` */
export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /api/v1` or `GET /apis/<group>/<version>`; undefined if the group/version is unknown. */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string): unknown {
  const defs = registry.inGroupVersion(group, version);
  if (defs.length === 0) return undefined;
  const result: Record<string, unknown> = {
    kind: 'APIResourceList',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: apiResources(defs),
  };
  if (group !== '') result.apiVersion = 'v1';
  return result;
}

function apiGroup(name: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** `GET /apis` */
export function apiGroupList(registry: ResourceRegistry): unknown {
  const groups: unknown[] = [];
  for (const [name, versions] of registry.groups()) {
    if (name !== '') groups.push(apiGroup(name, versions));
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `GET /apis/<group>`; undefined if unknown. */
export function apiGroupDoc(registry: ResourceRegistry, group: string): unknown {
  const versions = registry.groups().get(group);
  if (group === '' || !versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) };
}
