import { KubeApiError } from './types.ts';
import type { JsonObject } from './types.ts';
import { deepEqual } from './json.ts';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch. Returns a new value; inputs are not modified. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: JsonObject = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** One RFC 6902 operation. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

function invalid(message: string): KubeApiError {
  return new KubeApiError(422, message, 'Invalid');
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw invalid(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonObject | unknown[];

function resolveParent(doc: unknown, segs: string[], pointer: string): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (const seg of segs.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObject(cur)) cur = cur[seg];
    else cur = undefined;
    if (cur === undefined) throw invalid(`jsonpatch: path "${pointer}" does not exist`);
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw invalid(`jsonpatch: path "${pointer}" does not exist`);
  return { parent: cur, key: segs[segs.length - 1] ?? '' };
}

function arrayIndex(arr: unknown[], key: string, pointer: string, forInsert: boolean): number {
  if (forInsert && key === '-') return arr.length;
  if (!/^\d+$/.test(key)) throw invalid(`jsonpatch: invalid array index in "${pointer}"`);
  const idx = Number(key);
  if (idx > arr.length || (!forInsert && idx === arr.length))
    throw invalid(`jsonpatch: index out of range in "${pointer}"`);
  return idx;
}

function getAt(doc: unknown, pointer: string): unknown {
  const segs = parsePointer(pointer);
  if (segs.length === 0) return doc;
  const { parent, key } = resolveParent(doc, segs, pointer);
  const value = Array.isArray(parent) ? parent[arrayIndex(parent, key, pointer, false)] : parent[key];
  if (value === undefined) throw invalid(`jsonpatch: path "${pointer}" does not exist`);
  return value;
}

function removeAt(doc: unknown, pointer: string): unknown {
  const segs = parsePointer(pointer);
  if (segs.length === 0) throw invalid('jsonpatch: cannot remove the whole document');
  const { parent, key } = resolveParent(doc, segs, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, pointer, false), 1)[0];
  if (!Object.hasOwn(parent, key)) throw invalid(`jsonpatch: path "${pointer}" does not exist`);
  const old = parent[key];
  delete parent[key];
  return old;
}

function addAt(doc: unknown, pointer: string, value: unknown, replace: boolean): unknown {
  const segs = parsePointer(pointer);
  if (segs.length === 0) return structuredClone(value);
  const { parent, key } = resolveParent(doc, segs, pointer);
  if (Array.isArray(parent)) {
    const idx = arrayIndex(parent, key, pointer, !replace);
    parent.splice(idx, replace ? 1 : 0, structuredClone(value));
  } else {
    if (replace && !Object.hasOwn(parent, key)) throw invalid(`jsonpatch: path "${pointer}" does not exist`);
    parent[key] = structuredClone(value);
  }
  return doc;
}

/** Applies an RFC 6902 JSON patch to a copy of `doc`. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new KubeApiError(400, 'json patch must be an array of operations');
  let out: unknown = structuredClone(doc);
  for (const raw of ops) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string')
      throw invalid('jsonpatch: malformed operation');
    const op = raw as unknown as JsonPatchOperation;
    switch (op.op) {
      case 'add':
        out = addAt(out, op.path, op.value, false);
        break;
      case 'replace':
        out = addAt(out, op.path, op.value, true);
        break;
      case 'remove':
        removeAt(out, op.path);
        break;
      case 'move': {
        const value = removeAt(out, op.from ?? '');
        out = addAt(out, op.path, value, false);
        break;
      }
      case 'copy':
        out = addAt(out, op.path, getAt(out, op.from ?? ''), false);
        break;
      case 'test':
        if (!deepEqual(getAt(out, op.path), op.value))
          throw invalid(`jsonpatch: test operation failed for "${op.path}"`);
        break;
      default:
        throw invalid(`jsonpatch: unsupported operation "${String(raw.op)}"`);
    }
  }
  return out;
}
