// Every adapter chart, with its default values, with each ci/*-values.yaml, and in every binding
// mode × sink form: `helm lint --strict` and `helm template` with the real helm binary, every rendered
// object validated against the Kubernetes and Knative schemas, no duplicate env names, and the
// adapter's own configuration check run on the rendered env (a pod that would exit 78 fails here).
import { describe, expect, it } from 'vitest';
import { CHARTS } from '../../deploy/helm/adapters.ts';
import {
  ciValuesFiles,
  envOf,
  lint,
  ofKind,
  podTemplates,
  readValues,
  render,
  renderObjects,
  secretProjections,
} from './chart-checks.ts';
import { checkRenderedConfig } from './config-check.ts';
import { validateAll, type K8sObject } from './k8s-schema.ts';
import { REQUIRED_VALUES } from './required-values.ts';

const needsValues = (chart: string) => REQUIRED_VALUES[chart] !== undefined;

const cases = CHARTS.flatMap((spec) =>
  [undefined, ...ciValuesFiles(spec.name)]
    .filter((file) => file !== undefined || !needsValues(spec.name))
    .map((file) => ({ spec, file, label: `${spec.name} ${file ?? 'default values'}` })),
);

/** Sink forms a user writes: a Broker (Knative modes only), an absolute URL, a Kubernetes Service plus a path. */
const SINK_FORMS: Record<string, readonly string[]> = {
  broker: [],
  'absolute uri': ['sink.uri=https://events.example.com/in'],
  'service + path': [
    'sink.ref.apiVersion=v1',
    'sink.ref.kind=Service',
    'sink.ref.name=event-display',
    'sink.uri=/in',
  ],
};
const MODES = ['sinkbinding', 'containersource', 'direct'] as const;

const matrix = CHARTS.filter((spec) => spec.source).flatMap((spec) =>
  MODES.flatMap((mode) =>
    Object.entries(SINK_FORMS)
      .filter(([form]) => !(mode === 'direct' && form === 'broker'))
      .map(([form, sets]) => ({
        spec,
        mode,
        sets: [...(REQUIRED_VALUES[spec.name] ?? []), `binding.mode=${mode}`, ...sets],
        label: `${spec.name} ${mode} → ${form}`,
      })),
  ),
);

/** Checks every render gets: schemas, one env entry per name, and an adapter that would start. */
async function expectStartablePod(chart: string, objects: readonly K8sObject[]): Promise<void> {
  await validateAll(objects);
  for (const pod of podTemplates(objects)) {
    for (const container of pod.spec.containers) {
      const names = container.env.map((entry) => entry.name);
      expect(
        names.filter((name, i) => names.indexOf(name) !== i),
        'duplicate env names',
      ).toEqual([]);
    }
  }
  const check = await checkRenderedConfig(chart, objects);
  expect(check.message).toContain('configuration ok');
  expect(check.code).toBe(0);
}

function expectedMode(chart: string, file: string | undefined, source: boolean): string {
  if (!source) return 'direct';
  const values = file ? readValues(chart, file) : {};
  // A multi-tenant adapter (ping serving PingSource objects) has no binding: each object names its sink.
  if ((values['multiTenant'] as { enabled?: boolean } | undefined)?.enabled) return 'multitenant';
  const binding = values['binding'] as { mode?: string } | undefined;
  return binding?.mode ?? 'sinkbinding';
}

function expectHardenedPods(objects: readonly K8sObject[], graceSeconds: number): void {
  const pods = podTemplates(objects);
  expect(pods).toHaveLength(1);
  for (const pod of pods) {
    expect(pod.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.metadata.annotations['checksum/secret']).toMatch(/^[a-f0-9]{64}$/);
    expect(pod.spec.terminationGracePeriodSeconds).toBe(graceSeconds + 5);
    const [container] = pod.spec.containers;
    expect(container).toBeDefined();
    if (container === undefined) return;
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
    });
    expect(container.securityContext.capabilities.drop).toContain('ALL');
    expect(container.resources.requests?.['memory']).toBeDefined();
    expect(container.resources.limits?.['memory']).toBeDefined();
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(envOf(container).get('SHUTDOWN_GRACE_PERIOD')).toBe(`${graceSeconds}s`);
    // Every secret file the adapter is told about is mounted.
    const secretItems = secretProjections(pod).flatMap((source) => source.items.map((item) => item.path));
    const fileVars = container.env.filter(
      (entry) => entry.name.endsWith('_FILE') && entry.value?.startsWith('/var/run/secrets/tributary/'),
    );
    expect(fileVars.map((entry) => entry.value?.split('/').pop()).sort()).toEqual([...secretItems].sort());
  }
}

function expectBinding(objects: readonly K8sObject[], mode: string, source: boolean): void {
  const [deployment] = ofKind(objects, 'Deployment');
  const [container] = podTemplates(objects)[0]?.spec.containers ?? [];
  const env = container ? envOf(container) : new Map<string, string | undefined>();
  if (mode === 'containersource') {
    expect(ofKind(objects, 'ContainerSource')).toHaveLength(1);
    expect(ofKind(objects, 'Deployment')).toHaveLength(0);
    expect(env.has('K_SINK')).toBe(false);
  } else if (mode === 'sinkbinding') {
    const [binding] = ofKind(objects, 'SinkBinding');
    expect((binding?.['spec'] as { subject: unknown }).subject).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment?.metadata.name,
    });
    expect(env.has('K_SINK')).toBe(false);
  } else if (mode === 'multitenant') {
    expect(ofKind(objects, 'SinkBinding')).toHaveLength(0);
    expect(ofKind(objects, 'ContainerSource')).toHaveLength(0);
    expect(env.has('K_SINK')).toBe(false);
    expect(env.has('NAME')).toBe(false);
  } else {
    expect(ofKind(objects, 'SinkBinding')).toHaveLength(0);
    expect(ofKind(objects, 'ContainerSource')).toHaveLength(0);
    expect(env.has('K_SINK')).toBe(source);
    if (source) expect(env.get('K_SINK')).toMatch(/^https?:\/\//);
  }
}

function expectServicesSelectPods(objects: readonly K8sObject[]): void {
  const labels = podTemplates(objects)[0]?.metadata.labels ?? {};
  for (const service of ofKind(objects, 'Service').filter((s) => s.apiVersion === 'v1')) {
    const selector = (service['spec'] as { selector: Record<string, string> }).selector;
    expect(Object.keys(selector).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(selector)) expect(labels[key]).toBe(value);
  }
}

describe('adapter charts', () => {
  it('cover every adapter package with a main.ts', async () => {
    const { readdirSync, existsSync } = await import('node:fs');
    const adapters = readdirSync(new URL('../../packages/', import.meta.url)).filter((name) =>
      existsSync(new URL(`../../packages/${name}/src/main.ts`, import.meta.url)),
    );
    expect(CHARTS.map((spec) => spec.name)).toEqual(expect.arrayContaining(adapters));
  });

  it.each(cases)('$label: helm lint --strict passes', ({ spec, file }) => {
    const result = lint(spec.name, file);
    expect(result.stderr + result.stdout, 'helm lint output').not.toMatch(/\[(ERROR|WARNING)\]/);
    expect(result.status).toBe(0);
  });

  it.each(cases)('$label: helm template renders schema-valid, hardened objects', async ({ spec, file }) => {
    const objects = renderObjects(spec.name, file);
    await expectStartablePod(spec.name, objects);
    const values = { ...readValues(spec.name), ...(file ? readValues(spec.name, file) : {}) } as {
      shutdownGracePeriodSeconds: number;
    };
    expectHardenedPods(objects, values.shutdownGracePeriodSeconds);
    expectBinding(objects, expectedMode(spec.name, file, spec.source), spec.source);
    expectServicesSelectPods(objects);
    if (spec.webhook) expect(ofKind(objects, 'Service')).toHaveLength(1);
    for (const object of objects) {
      expect(object.metadata.labels?.['app.kubernetes.io/part-of'], `${object.kind} labels`).toBe(
        'tributary',
      );
    }
  });

  it.each(matrix)(
    '$label: renders objects that validate and a pod that starts',
    async ({ spec, mode, sets }) => {
      const objects = renderObjects(spec.name, undefined, sets);
      await expectStartablePod(spec.name, objects);
      expectBinding(objects, mode, true);
    },
  );

  it.each(Object.keys(REQUIRED_VALUES))(
    '%s with default values fails at render time, naming each missing value',
    (chart) => {
      const result = render(chart);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(`${chart} chart: these values cannot start the adapter`);
      const expected: Record<string, string[]> = {
        github: ['secret.values.GITHUB_SECRET_TOKEN', 'github.allowUnsigned=true'],
        gitlab: [
          '(2 problems)',
          'secret.values.GITLAB_SECRET_TOKEN',
          'gitlab.eventSource',
          'gitlab.groupUrl',
        ],
        eventbridge: ['secret.values.EVENTBRIDGE_TOKEN or secret.values.EVENTBRIDGE_PUBLIC_KEY'],
        sqs: ['sqs.queueUrl or sqs.queueArn'],
      };
      for (const text of expected[chart] ?? []) expect(result.stderr).toContain(text);
    },
  );
});
