// One declaration per chart value: its schema (type and constraints), default and description.
// generate.ts writes all three places a value appears from it: the commented values.yaml, the
// values.schema.json and the chart's README table, so they cannot drift apart.
import { stringify } from 'yaml';
import type { Schema } from './schema.ts';

export interface ValueDecl {
  readonly kind: 'value';
  readonly schema: Schema;
  /** Written to values.yaml; undefined: an optional value, shown commented out as its example. */
  readonly default: unknown;
  readonly description: string;
  /** YAML shown commented out under the value (or instead of it, when it has no default). */
  readonly example?: string;
}

export interface GroupDecl {
  readonly kind: 'group';
  readonly description: string;
  readonly values: Values;
  /** More of the object's schema: required keys, if/then rules, anyOf. */
  readonly rules?: Schema;
}

export type Decl = ValueDecl | GroupDecl;
export type Values = Readonly<Record<string, Decl>>;

export const value = (
  schema: Schema,
  defaultValue: unknown,
  description: string,
  example?: string,
): ValueDecl => ({
  kind: 'value',
  schema,
  default: defaultValue,
  description,
  ...(example === undefined ? {} : { example }),
});

export const group = (description: string, values: Values, rules?: Schema): GroupDecl => ({
  kind: 'group',
  description,
  values,
  ...(rules === undefined ? {} : { rules }),
});

/** The JSON schema of an object holding `values` (additional properties refused). */
export function schemaOf(values: Values, rules: Schema = {}): Schema {
  const properties: Record<string, Schema> = {};
  for (const [key, decl] of Object.entries(values)) {
    properties[key] =
      decl.kind === 'group'
        ? { description: decl.description, ...schemaOf(decl.values, decl.rules) }
        : { description: decl.description, ...decl.schema };
  }
  return { type: 'object', additionalProperties: false, properties, ...rules };
}

/** values.yaml text for `values` at `indent`: each value under its description as comments. */
export function valuesYamlOf(values: Values, indent = 0): string {
  const pad = ' '.repeat(indent);
  const blocks: string[] = [];
  for (const [key, decl] of Object.entries(values)) {
    const lines = comment(decl.description, pad);
    if (decl.kind === 'group') {
      lines.push(`${pad}${key}:`, valuesYamlOf(decl.values, indent + 2));
    } else if (decl.default === undefined) {
      lines.push(...commentedYaml(decl.example ?? `${key}: ...`, pad));
    } else {
      lines.push(...yamlLines({ [key]: decl.default }, pad));
      if (decl.example !== undefined) lines.push(...commentedYaml(decl.example, pad));
    }
    blocks.push(lines.join('\n'));
  }
  // Top-level values apart, nested ones together.
  return blocks.join(indent === 0 ? '\n\n' : '\n');
}

export interface ValueRow {
  readonly path: string;
  readonly type: string;
  readonly default: string;
  readonly description: string;
}

/** One row per value, by dotted path, for the chart README. */
export function valueRows(values: Values, prefix = ''): ValueRow[] {
  return Object.entries(values).flatMap(([key, decl]) => {
    const path = `${prefix}${key}`;
    if (decl.kind === 'group') return valueRows(decl.values, `${path}.`);
    return [
      {
        path,
        type: typeOf(decl.schema),
        default: decl.default === undefined ? '' : JSON.stringify(decl.default),
        description: decl.description.replace(/\s*\n\s*/g, ' '),
      },
    ];
  });
}

function typeOf(schema: Schema): string {
  if (Array.isArray(schema['enum']))
    return (schema['enum'] as unknown[]).map((v) => JSON.stringify(v)).join(' \\| ');
  const type = schema['type'];
  if (Array.isArray(type)) return type.join(' \\| ');
  if (type === 'array') {
    const items = schema['items'] as Schema | undefined;
    return items?.['type'] === 'string' ? 'list of strings' : 'list';
  }
  if (typeof type === 'string') return type;
  if (Array.isArray(schema['anyOf'])) return 'object';
  return 'any';
}

const WIDTH = 100;

/** The description as `#` lines within WIDTH; its own line breaks are kept. */
function comment(text: string, pad: string): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter(Boolean)) {
      if (line !== '' && pad.length + 2 + line.length + 1 + word.length > WIDTH) {
        lines.push(`${pad}# ${line}`);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line === '' ? `${pad}#` : `${pad}# ${line}`);
  }
  return lines;
}

function yamlLines(object: Record<string, unknown>, pad: string): string[] {
  return stringify(object, { lineWidth: 0 })
    .trimEnd()
    .split('\n')
    .map((line) => `${pad}${line}`);
}

function commentedYaml(text: string, pad: string): string[] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `${pad}# ${line}`);
}
