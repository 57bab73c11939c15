import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createEncoder, HttpError } from '@tributary/core';
import { expectHttpErrorOrValidEvents, fixturePath, mutatedJson } from '@tributary/testkit';
import { changeEvent, type KubeObject } from '../../src/index.ts';

const core = { HttpError, createEncoder };
const pod = JSON.parse(readFileSync(fixturePath('apiserver', 'pod-replicaset.json'), 'utf8')) as KubeObject;

// What the API server can hand a watch: any content, but identity fields it validated itself
// (apimachinery: names DNS-1123 subdomains, namespaces labels, kinds identifiers, group/version).
const identity = fc.record({
  apiVersion: fc.constantFrom('v1', 'apps/v1', 'serving.knative.dev/v1', 'serving.knative.dev', ''),
  kind: fc.oneof(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,20}$/), fc.constant('')),
  name: fc.oneof(fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,30}[a-z0-9])?$/), fc.constant(undefined)),
  namespace: fc.oneof(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/), fc.constant(undefined)),
});

const object = fc.tuple(mutatedJson([pod]), identity).map(([mutated, id]) => {
  const body = (
    typeof mutated === 'object' && mutated !== null && !Array.isArray(mutated) ? mutated : {}
  ) as Record<string, unknown>;
  const metadata = typeof body['metadata'] === 'object' && body['metadata'] !== null ? body['metadata'] : {};
  return {
    ...body,
    apiVersion: id.apiVersion,
    kind: id.kind,
    metadata: { ...metadata, name: id.name, namespace: id.namespace },
  } as KubeObject;
});

describe('APIServer change events under any object', () => {
  it('are valid CloudEvents, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('add', 'update', 'delete'),
        fc.constantFrom('Resource', 'Reference'),
        object,
        fc.boolean(),
        async (change, mode, kube, serialised) => {
          const options = { mode, source: 'https://10.96.0.1:443' } as const;
          const json = serialised ? JSON.stringify(kube) : undefined;
          await expectHttpErrorOrValidEvents(core, () => [
            changeEvent(change, kube, options, 'uid-1', new Date(), json),
          ]);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
