import type { Env } from './env.ts';
import type { Extensions } from '../event/cloudevent.ts';
import { CONTEXT_ATTRIBUTES, EXTENSION_NAME } from '../event/attributes.ts';

/**
 * `K_CE_OVERRIDES`: `{"extensions":{"name":"value"}}` stamped on every event.
 * Knative only fails at send time when a key names a core attribute; we reject bad keys,
 * names and values at startup so a typo in a SinkBinding is seen at once (docs/contracts.md §1).
 */
export function readCeOverrides(env: Env, variable = 'K_CE_OVERRIDES'): Extensions {
  const text = env.raw(variable)?.trim();
  if (text === undefined || text === '') return {};
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    env.problem(variable, `is not valid JSON: ${(error as Error).message}`);
    return {};
  }
  if (!isPlainObject(document)) {
    env.problem(variable, 'must be a JSON object like {"extensions":{"name":"value"}}');
    return {};
  }
  for (const key of Object.keys(document)) {
    if (key !== 'extensions') env.problem(variable, `unknown key ${JSON.stringify(key)} (only "extensions" is allowed)`);
  }
  const extensions = document['extensions'];
  if (extensions === undefined) return {};
  if (!isPlainObject(extensions)) {
    env.problem(variable, '"extensions" must be an object of string values');
    return {};
  }
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(extensions)) {
    if (CONTEXT_ATTRIBUTES.has(name)) {
      env.problem(variable, `extension ${JSON.stringify(name)} names a core CloudEvents attribute and cannot be overridden`);
    } else if (!EXTENSION_NAME.test(name)) {
      env.problem(variable, `extension name ${JSON.stringify(name)} must match [a-z0-9]+ (CloudEvents 1.0 §naming)`);
    } else if (typeof value !== 'string') {
      env.problem(variable, `extension ${JSON.stringify(name)} must be a string, got ${value === null ? 'null' : typeof value}`);
    } else {
      result[name] = value;
    }
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
