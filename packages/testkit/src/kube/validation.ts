import { isJsonObject } from './json.ts';
import type { ResourceDefinition } from './registry.ts';
import { KubeApiError } from './types.ts';
import type { JsonObject } from './types.ts';

export function notFound(def: ResourceDefinition, name: string): KubeApiError {
  return new KubeApiError(404, `${def.qualifiedName} "${name}" not found`, 'NotFound', {
    name,
    group: def.group,
    kind: def.plural,
  });
}

export function conflict(
  def: ResourceDefinition,
  name: string,
  why = 'the object has been modified; please apply your changes to the latest version and try again',
): KubeApiError {
  return new KubeApiError(
    409,
    `Operation cannot be fulfilled on ${def.qualifiedName} "${name}": ${why}`,
    'Conflict',
    { name, group: def.group, kind: def.plural },
  );
}

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The real server parses `metav1.MicroTime` with layout RFC3339Micro, which needs exactly six
 * fractional digits: `Date#toISOString()` (three digits) is rejected with 400.
 */
export function checkMicroTimes(def: ResourceDefinition, obj: JsonObject): void {
  for (const path of def.microTimeFields) {
    let cur: unknown = obj;
    for (const seg of path.split('.')) cur = isJsonObject(cur) ? cur[seg] : undefined;
    if (cur === undefined || cur === null) continue;
    if (typeof cur !== 'string' || !MICRO_TIME.test(cur)) {
      throw new KubeApiError(
        400,
        `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${path}: parsing time ${JSON.stringify(cur)} as "2006-01-02T15:04:05.000000Z07:00": cannot parse as RFC3339Micro`,
        'BadRequest',
      );
    }
  }
}
