/** `metav1.LabelSelector`, as the ApiServerSource spec carries it (`resources[].selector`). */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>> | undefined;
  readonly matchExpressions?:
    | ReadonlyArray<{
        readonly key: string;
        readonly operator: string;
        readonly values?: readonly string[] | null | undefined;
      }>
    | undefined;
}

/**
 * The selector string Knative's controller writes into `K_SOURCE_CONFIG` for a spec selector
 * (`metav1.LabelSelectorAsSelector(...).String()`): requirements sorted by key, values sorted,
 * `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by commas.
 */
export function labelSelectorString(selector: LabelSelector): string {
  const requirements: Array<{ key: string; text: string }> = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, text: `${key}=${value}` });
  }
  for (const expression of selector.matchExpressions ?? []) {
    requirements.push({ key: expression.key, text: expressionText(expression) });
  }
  // Go's selector sorts by key only; a stable sort keeps the input order of equal keys.
  return requirements
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}

function expressionText(expression: {
  key: string;
  operator: string;
  values?: readonly string[] | null | undefined;
}): string {
  const values = [...(expression.values ?? [])].sort().join(',');
  switch (expression.operator) {
    case 'In':
      return `${expression.key} in (${values})`;
    case 'NotIn':
      return `${expression.key} notin (${values})`;
    case 'Exists':
      return expression.key;
    case 'DoesNotExist':
      return `!${expression.key}`;
    default:
      throw new Error(`unknown label selector operator ${JSON.stringify(expression.operator)}`);
  }
}
