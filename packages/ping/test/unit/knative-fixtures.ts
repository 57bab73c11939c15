import { readFileSync } from 'node:fs';
import { fixturePath } from '@tributary/testkit';
import { parse, parseAllDocuments } from 'yaml';
import type { PingSourceInput } from '../../src/source.ts';

interface Manifest {
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: Record<string, string | object>;
}

/** A PingSource manifest's spec as Tributary reads it (the sink ref is Knative's controller's business). */
export function inputOf(manifest: Manifest): PingSourceInput {
  const { sink: _sink, ...spec } = manifest.spec;
  return { namespace: manifest.metadata.namespace, name: manifest.metadata.name, ...(spec as Record<string, string>) };
}

export function knativePingSources(): Manifest[] {
  return parseAllDocuments(readFileSync(fixturePath('ping', 'knative-pingsources.yaml'), 'utf8')).map((doc) => doc.toJS() as Manifest);
}

export function knativeInvalidSpecs(): { case: string; field: string; spec: Record<string, string> }[] {
  return parse(readFileSync(fixturePath('ping', 'knative-invalid-pingsources.yaml'), 'utf8'));
}

export function knativeEventDisplay(): { attributes: Record<string, string>; data: unknown } {
  return JSON.parse(readFileSync(fixturePath('ping', 'knative-event-display.json'), 'utf8'));
}
