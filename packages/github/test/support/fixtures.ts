import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fixturePath } from '@tributary/testkit';

/** A payload from test/fixtures (copied from @octokit/webhooks-examples, GitHub's documented examples). */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fixturePath('github', `${name}.json`), 'utf8')) as Record<string, unknown>;
}

export interface WebhookExample {
  /** `api.github.com` or a GitHub Enterprise Server release (`ghes-35`). */
  readonly set: string;
  readonly event: string;
  readonly index: number;
  readonly payload: Record<string, unknown>;
}

interface WebhookDefinition {
  readonly name: string;
  readonly examples: readonly Record<string, unknown>[];
}

/**
 * Every example payload in @octokit/webhooks-examples: github.com's set and each GitHub Enterprise
 * Server release's, without the payloads that appear more than once.
 */
export function allWebhookExamples(): WebhookExample[] {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@octokit/webhooks-examples/package.json'));
  const sets = readdirSync(root).filter((entry) => existsSync(join(root, entry, 'index.json')));
  const seen = new Set<string>();
  const examples: WebhookExample[] = [];
  for (const set of sets.sort((a, b) =>
    a === 'api.github.com' ? -1 : b === 'api.github.com' ? 1 : a.localeCompare(b),
  )) {
    const definitions = JSON.parse(
      readFileSync(join(root, set, 'index.json'), 'utf8'),
    ) as WebhookDefinition[];
    for (const definition of definitions) {
      definition.examples.forEach((payload, index) => {
        const key = `${definition.name} ${JSON.stringify(payload)}`;
        if (seen.has(key)) return;
        seen.add(key);
        examples.push({ set, event: definition.name, index, payload });
      });
    }
  }
  return examples;
}
