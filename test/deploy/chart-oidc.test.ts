// OIDC sender identity in the three binding modes (tributary-lib _oidc.tpl): in the Knative modes the
// audience goes into the Destination (Knative mounts the token; the chart sets no K_AUDIENCE); in
// direct mode, or with oidc.tokenRequest, the chart sets K_AUDIENCE + K_OIDC_SERVICE_ACCOUNT, makes
// the identity's ServiceAccount and grants the pod's own ServiceAccount create on exactly its token.
import { describe, expect, it } from 'vitest';
import { CHARTS } from '../../deploy/helm/adapters.ts';
import { envOf, NAMESPACE, ofKind, podTemplates, render, renderObjects } from './chart-checks.ts';
import { checkRenderedConfig } from './config-check.ts';
import { validateAll, type K8sObject } from './k8s-schema.ts';
import { REQUIRED_VALUES } from './required-values.ts';

const AUDIENCE = 'https://broker-ingress.knative-eventing.svc.cluster.local/demo/default';
const SOURCES = CHARTS.filter((spec) => spec.source).map((spec) => spec.name);

function env(objects: readonly K8sObject[]) {
  const container = podTemplates(objects)[0]?.spec.containers[0];
  if (container === undefined) throw new Error('no container rendered');
  return envOf(container);
}

function destination(objects: readonly K8sObject[]): Record<string, unknown> {
  const owner = ofKind(objects, 'SinkBinding')[0] ?? ofKind(objects, 'ContainerSource')[0];
  return (owner?.['spec'] as { sink: Record<string, unknown> }).sink;
}

/** The Role rules bound to `account` in the release namespace, through RoleBindings. */
function rulesBoundTo(objects: readonly K8sObject[], account: string) {
  const roles = ofKind(objects, 'RoleBinding')
    .filter((binding) =>
      (binding['subjects'] as { kind: string; name: string; namespace: string }[]).some(
        (s) => s.kind === 'ServiceAccount' && s.name === account && s.namespace === NAMESPACE,
      ),
    )
    .map((binding) => (binding['roleRef'] as { name: string }).name);
  return ofKind(objects, 'Role')
    .filter((role) => roles.includes(role.metadata.name))
    .flatMap(
      (role) =>
        role['rules'] as {
          apiGroups: string[];
          resources: string[];
          resourceNames?: string[];
          verbs: string[];
        }[],
    );
}

describe('OIDC', () => {
  it.each(
    SOURCES.flatMap((chart) => (['sinkbinding', 'containersource'] as const).map((mode) => [chart, mode])),
  )(
    '%s %s: the audience goes to Knative in the Destination; the adapter sends the token Knative mounts',
    async (chart, mode) => {
      const objects = renderObjects(chart, undefined, [
        ...(REQUIRED_VALUES[chart] ?? []),
        `binding.mode=${mode}`,
        `sink.audience=${AUDIENCE}`,
      ]);
      await validateAll(objects);
      expect(destination(objects)['audience']).toBe(AUDIENCE);
      expect(env(objects).has('K_AUDIENCE')).toBe(false);
      expect(env(objects).has('K_OIDC_SERVICE_ACCOUNT')).toBe(false);
      expect(
        rulesBoundTo(objects, `rel-${chart}`).filter((r) => r.resources.includes('serviceaccounts/token')),
      ).toEqual([]);
      const check = await checkRenderedConfig(chart, objects);
      expect(check.message).toContain('configuration ok');
    },
  );

  it.each(SOURCES)(
    '%s direct: K_AUDIENCE and K_OIDC_SERVICE_ACCOUNT, the identity, and create on exactly its token',
    async (chart) => {
      const objects = renderObjects(chart, undefined, [
        ...(REQUIRED_VALUES[chart] ?? []),
        'binding.mode=direct',
        'sink.uri=https://events.example.com/in',
        `sink.audience=${AUDIENCE}`,
      ]);
      await validateAll(objects);
      const vars = env(objects);
      expect(vars.get('K_AUDIENCE')).toBe(AUDIENCE);
      expect(vars.get('K_OIDC_SERVICE_ACCOUNT')).toBe(`rel-${chart}-oidc`);
      const identity = ofKind(objects, 'ServiceAccount').find(
        (sa) => sa.metadata.name === `rel-${chart}-oidc`,
      );
      expect(identity?.['automountServiceAccountToken']).toBe(false);
      const pod = podTemplates(objects)[0];
      expect(pod?.spec.serviceAccountName).toBe(`rel-${chart}`);
      // The adapter calls the TokenRequest API with its own token.
      expect(pod?.spec.automountServiceAccountToken).toBe(true);
      const tokenRules = rulesBoundTo(objects, `rel-${chart}`).filter((rule) =>
        rule.resources.includes('serviceaccounts/token'),
      );
      expect(tokenRules).toEqual([
        {
          apiGroups: [''],
          resources: ['serviceaccounts/token'],
          resourceNames: [`rel-${chart}-oidc`],
          verbs: ['create'],
        },
      ]);
      // The adapter accepts the rendered env: the TokenRequest path needs no token file.
      const check = await checkRenderedConfig(chart, objects);
      expect(check.message).toContain('configuration ok');
      expect(check.code).toBe(0);
    },
  );

  it('oidc.tokenRequest in sinkbinding mode, for a ServiceAccount the user manages', async () => {
    const objects = renderObjects('heartbeat', undefined, [
      'oidc.tokenRequest=true',
      'oidc.serviceAccountName=heartbeat-sender',
      `sink.audience=${AUDIENCE}`,
    ]);
    await validateAll(objects);
    expect(env(objects).get('K_OIDC_SERVICE_ACCOUNT')).toBe('heartbeat-sender');
    expect(ofKind(objects, 'ServiceAccount').map((sa) => sa.metadata.name)).toEqual(['rel-heartbeat']);
    expect(rulesBoundTo(objects, 'rel-heartbeat')).toContainEqual({
      apiGroups: [''],
      resources: ['serviceaccounts/token'],
      resourceNames: ['heartbeat-sender'],
      verbs: ['create'],
    });
  });

  it('without sink.audience there is no OIDC: no variables, no Role', () => {
    const objects = renderObjects('heartbeat', undefined, [
      'binding.mode=direct',
      'sink.uri=https://e.example/in',
    ]);
    expect(env(objects).has('K_AUDIENCE')).toBe(false);
    expect(ofKind(objects, 'Role')).toEqual([]);
  });

  it.each([
    [
      ['oidc.tokenRequest=true'],
      "sink.audience: oidc.tokenRequest requests tokens for the sink's OIDC audience",
    ],
    [
      [
        'binding.mode=direct',
        'sink.uri=https://e.example/in',
        `sink.audience=${AUDIENCE}`,
        'serviceAccount.create=false',
      ],
      "serviceAccount.create: OIDC tokens are requested with the pod's own ServiceAccount",
    ],
  ])('heartbeat %j fails naming the value', (sets, message) => {
    const result = render('heartbeat', undefined, sets);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(message);
  });
});
