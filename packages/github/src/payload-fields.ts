/**
 * Field access with the semantics of Go's `encoding/json` decoding into value structs, which is how
 * eventing-github reads payloads (go-playground/webhooks v5 types): an absent, null or mistyped field
 * reads as the zero value (`""`, `0`, `false`), while a pointer field (`*Label`) is "present" only
 * when the JSON holds an object there.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

const EMPTY: JsonObject = Object.freeze({});

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The object at `path`, or an empty one (a Go value struct). */
export function objectAt(root: JsonObject, ...path: readonly string[]): JsonObject {
  let node: unknown = root;
  for (const key of path) {
    // Own keys only: a payload key such as `constructor` must not reach Object.prototype.
    if (!isObject(node) || !Object.hasOwn(node, key)) return EMPTY;
    node = node[key];
  }
  return isObject(node) ? node : EMPTY;
}

function valueAt(root: JsonObject, path: readonly string[]): unknown {
  const last = path.at(-1);
  if (last === undefined) return undefined;
  const parent = objectAt(root, ...path.slice(0, -1));
  return Object.hasOwn(parent, last) ? parent[last] : undefined;
}

export function stringAt(root: JsonObject, ...path: readonly string[]): string {
  const value = valueAt(root, path);
  return typeof value === 'string' ? value : '';
}

export function intAt(root: JsonObject, ...path: readonly string[]): number {
  const value = valueAt(root, path);
  return typeof value === 'number' && Number.isInteger(value) ? value : 0;
}

export function boolAt(root: JsonObject, ...path: readonly string[]): boolean {
  return valueAt(root, path) === true;
}

/** Go `*T` field: undefined when the JSON has no object there. */
export function pointerAt(root: JsonObject, ...path: readonly string[]): JsonObject | undefined {
  const value = valueAt(root, path);
  return isObject(value) ? value : undefined;
}

/** Go `*string` field: undefined when absent or null. */
export function stringPointerAt(root: JsonObject, ...path: readonly string[]): string | undefined {
  const value = valueAt(root, path);
  return typeof value === 'string' ? value : undefined;
}

/** A value present in the payload (string or integer), as text; undefined when absent. */
export function textAt(root: JsonObject, ...path: readonly string[]): string | undefined {
  const value = valueAt(root, path);
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return undefined;
}
