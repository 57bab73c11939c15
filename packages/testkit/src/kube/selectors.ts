import { KubeApiError } from './types.ts';
import type { JsonObject } from './types.ts';

/** A parsed label requirement. */
export interface LabelRequirement {
  key: string;
  op: 'exists' | 'notexists' | '=' | '!=' | 'in' | 'notin' | '>' | '<';
  values: string[];
}

/** A parsed field requirement. */
export interface FieldRequirement {
  path: string;
  op: '=' | '!=';
  value: string;
}

const KEY = String.raw`[A-Za-z0-9](?:[A-Za-z0-9._/-]*[A-Za-z0-9])?`;
const VALUE = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)?`;
const EXISTS_RE = new RegExp(`^(!?)\\s*(${KEY})$`);
const CMP_RE = new RegExp(`^(${KEY})\\s*(==|=|!=|>|<)\\s*(${VALUE})$`);
const SET_RE = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`);

function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function badSelector(selector: string, detail: string): KubeApiError {
  return new KubeApiError(400, `unable to parse requirement: ${detail} (selector "${selector}")`);
}

/** Parses a `labelSelector` query value (equality-, set- and existence-based, comma = AND). */
export function parseLabelSelector(selector: string | undefined): LabelRequirement[] {
  if (selector === undefined || selector.trim() === '') return [];
  const out: LabelRequirement[] = [];
  for (const raw of splitTopLevel(selector)) {
    const part = raw.trim();
    let m = SET_RE.exec(part);
    if (m) {
      const values = (m[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      out.push({ key: m[1] ?? '', op: m[2] === 'in' ? 'in' : 'notin', values });
      continue;
    }
    m = CMP_RE.exec(part);
    if (m) {
      const op = m[2] === '==' ? '=' : (m[2] as '=' | '!=' | '>' | '<');
      const value = m[3] ?? '';
      if ((op === '>' || op === '<') && !/^-?\d+$/.test(value))
        throw badSelector(selector, `for '${op}' operator the value must be an integer`);
      out.push({ key: m[1] ?? '', op, values: [value] });
      continue;
    }
    m = EXISTS_RE.exec(part);
    if (m) {
      out.push({ key: m[2] ?? '', op: m[1] === '!' ? 'notexists' : 'exists', values: [] });
      continue;
    }
    throw badSelector(selector, `invalid requirement "${part}"`);
  }
  return out;
}

/** Whether a label map satisfies every requirement. */
export function matchLabels(
  reqs: readonly LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  for (const req of reqs) {
    const has = labels !== undefined && Object.hasOwn(labels, req.key);
    const value = has ? labels[req.key] : undefined;
    switch (req.op) {
      case 'exists':
        if (!has) return false;
        break;
      case 'notexists':
        if (has) return false;
        break;
      case '=':
      case 'in':
        if (value === undefined || !req.values.includes(value)) return false;
        break;
      case '!=':
      case 'notin':
        if (value !== undefined && req.values.includes(value)) return false;
        break;
      case '>':
      case '<': {
        if (value === undefined || !/^-?\d+$/.test(value)) return false;
        const n = Number(value);
        const bound = Number(req.values[0]);
        if (req.op === '>' ? !(n > bound) : !(n < bound)) return false;
        break;
      }
    }
  }
  return true;
}

function unescapeField(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

function splitUnescaped(input: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] ?? '';
    if (ch === '\\' && i + 1 < input.length) {
      current += ch + (input[i + 1] ?? '');
      i++;
    } else if (ch === sep) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** Parses a `fieldSelector`; `allowed` lists the supported field paths. */
export function parseFieldSelector(
  selector: string | undefined,
  allowed: readonly string[],
): FieldRequirement[] {
  if (selector === undefined || selector.trim() === '') return [];
  const out: FieldRequirement[] = [];
  for (const raw of splitUnescaped(selector, ',')) {
    const part = raw.trim();
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw new KubeApiError(400, `invalid selector: '${selector}'; can't understand '${part}'`);
    const path = m[1] ?? '';
    if (!allowed.includes(path)) throw new KubeApiError(400, `field label not supported: ${path}`);
    out.push({ path, op: m[2] === '!=' ? '!=' : '=', value: unescapeField(m[3] ?? '') });
  }
  return out;
}

function fieldValue(obj: JsonObject, path: string): string {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as JsonObject)[seg];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

/** Whether an object satisfies every field requirement. */
export function matchFields(reqs: readonly FieldRequirement[], obj: JsonObject): boolean {
  for (const req of reqs) {
    const actual = fieldValue(obj, req.path);
    if (req.op === '=' ? actual !== req.value : actual === req.value) return false;
  }
  return true;
}
