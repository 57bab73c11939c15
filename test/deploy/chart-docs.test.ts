// One declaration per value (deploy/helm/values.ts): each declared value is in the chart's
// values.yaml (with its default), in values.schema.json (with its description) and in the README
// table, and values.yaml holds nothing undeclared.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHARTS } from '../../deploy/helm/adapters.ts';
import { chartValues } from '../../deploy/helm/generate.ts';
import { valueRows, type Values } from '../../deploy/helm/values.ts';
import { HELM_DIR } from './chart-checks.ts';

type Tree = Record<string, unknown>;

function at(tree: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Tree | undefined)?.[key], tree);
}

function schemaAt(schema: Tree, path: string): Tree | undefined {
  return path
    .split('.')
    .reduce<Tree | undefined>(
      (node, key) => (node?.['properties'] as Tree | undefined)?.[key] as Tree,
      schema,
    );
}

/** Paths of values.yaml down to the declared values (a declared value may itself be a map). */
function declaredPaths(values: Values, prefix = ''): string[] {
  return Object.entries(values).flatMap(([key, decl]) =>
    decl.kind === 'group' ? declaredPaths(decl.values, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe.each(CHARTS.map((spec) => [spec.name, spec] as const))('%s chart values', (chart, spec) => {
  const declared = chartValues(spec);
  const yaml = parse(readFileSync(join(HELM_DIR, chart, 'values.yaml'), 'utf8')) as Tree;
  const schema = JSON.parse(readFileSync(join(HELM_DIR, chart, 'values.schema.json'), 'utf8')) as Tree;
  const readme = readFileSync(join(HELM_DIR, chart, 'README.md'), 'utf8');

  it('every declared value is in values.yaml, the schema and the README, with one description', () => {
    for (const row of valueRows(declared)) {
      const property = schemaAt(schema, row.path);
      expect(String(property?.['description']).replace(/\s*\n\s*/g, ' '), row.path).toBe(row.description);
      if (row.default !== '') expect(JSON.stringify(at(yaml, row.path)), row.path).toBe(row.default);
      expect(readme.includes(`| \`${row.path}\` `), row.path).toBe(true);
    }
  });

  it('values.yaml holds only declared values', () => {
    const paths = new Set(declaredPaths(declared));
    const walk = (node: unknown, prefix: string): void => {
      for (const [key, child] of Object.entries(node as Tree)) {
        const path = `${prefix}${key}`;
        if (paths.has(path)) continue;
        expect(
          child !== null && typeof child === 'object' && !Array.isArray(child),
          `${path} is not declared`,
        ).toBe(true);
        walk(child, `${path}.`);
      }
    };
    walk(yaml, '');
  });
});
