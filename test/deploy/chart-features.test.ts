// What particular values must produce: schema failures for bad values, the APIServer RBAC, leader
// election (env and Lease RBAC) for apiserver, ping and heartbeat, SQS's IRSA and KEDA objects, ping's sources file, webhook URLs, EventTypes, direct-mode K_SINK, and the
// chart values staying in step with the packages' event catalogues.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runHelm } from '../../scripts/helm.ts';
import { CHARTS } from '../../deploy/helm/adapters.ts';
import { generate, packageCatalogue } from '../../deploy/helm/generate.ts';
import {
  envOf,
  HELM_DIR,
  NAMESPACE,
  ofKind,
  podTemplates,
  render,
  renderObjects,
  secretProjections,
} from './chart-checks.ts';
import { parseObjects, validateAll, type K8sObject } from './k8s-schema.ts';
import { REQUIRED_VALUES } from './required-values.ts';

const BAD = fileURLToPath(new URL('./fixtures/bad-values/', import.meta.url));
const SCHEMA_FAILURE = "values don't meet the specifications of the schema";

function renderBad(chart: string, file: string) {
  return runHelm(['template', 'rel', join(HELM_DIR, chart), '-f', join(BAD, file)]);
}

function spec(object: K8sObject | undefined): Record<string, unknown> {
  expect(object).toBeDefined();
  return object?.['spec'] as Record<string, unknown>;
}

function mainEnv(objects: readonly K8sObject[]) {
  const container = podTemplates(objects)[0]?.spec.containers[0];
  if (container === undefined) throw new Error('no container rendered');
  return envOf(container);
}

describe('bad values fail helm template with a schema message', () => {
  it.each(CHARTS.filter((c) => c.source).map((c) => c.name))('%s: no sink', (chart) => {
    const result = renderBad(chart, 'no-sink.yaml');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(SCHEMA_FAILURE);
    expect(result.stderr).toContain("at '/sink'");
  });

  it.each(CHARTS.filter((c) => c.secretKeys.length > 0).map((c) => c.name))(
    '%s: existing Secret and inline values together',
    (chart) => {
      const key = CHARTS.find((c) => c.name === chart)?.secretKeys[0] ?? '';
      const result = runHelm([
        'template',
        'rel',
        join(HELM_DIR, chart),
        '--set',
        'secret.existingSecret=mine',
        '--set',
        `secret.values.${key}=inline`,
      ]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(SCHEMA_FAILURE);
      expect(result.stderr).toContain("at '/secret/values': maxProperties");
    },
  );

  it('github: the both-secrets values file', () => {
    const result = renderBad('github', 'both-secrets.yaml');
    expect(result.stderr).toContain(SCHEMA_FAILURE);
    expect(result.stderr).toContain('/secret/values');
  });

  it.each([
    ['ping', 'direct-to-broker.yaml', "at '/sink/ref/kind': value must be 'Service'"],
    ['heartbeat', 'typo.yaml', "additional properties 'sinkk' not allowed"],
    ['gitlab', 'bad-extension.yaml', "invalid propertyName 'source'"],
    ['gitlab', 'bad-extension.yaml', "'Bad-Name' does not match pattern"],
    ['sqs', 'keda-containersource.yaml', "at '/binding/mode'"],
    ['ping', 'leader-election-no-service-account.yaml', "at '/serviceAccount/create': value must be true"],
    ['heartbeat', 'leader-election-no-service-account.yaml', "at '/serviceAccount': 'anyOf' failed"],
    ['ping', 'multi-tenant-no-service-account.yaml', "at '/serviceAccount': 'anyOf' failed"],
  ])('%s: %s → %s', (chart, file, message) => {
    const result = renderBad(chart, file);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(SCHEMA_FAILURE);
    expect(result.stderr).toContain(message);
  });
});

describe('sinks', () => {
  it('direct mode resolves a Kubernetes Service ref plus a relative uri into K_SINK', () => {
    const env = mainEnv(renderObjects('ping', 'sources-values.yaml'));
    expect(env.get('K_SINK')).toBe(`http://event-display.${NAMESPACE}.svc.cluster.local/`);
  });

  it('an absolute uri is the whole sink: the default Broker ref is dropped, in every mode', () => {
    const uri = 'https://sink.example.com/e';
    const knative = renderObjects('heartbeat', undefined, [`sink.uri=${uri}`]);
    expect(spec(ofKind(knative, 'SinkBinding')[0])['sink']).toEqual({ uri });
    const direct = renderObjects('heartbeat', undefined, [`sink.uri=${uri}`, 'binding.mode=direct']);
    expect(mainEnv(direct).get('K_SINK')).toBe(uri);
  });

  it('direct mode sets K_CE_OVERRIDES and K_CA_CERTS itself; Knative modes hand them to Knative', () => {
    const direct = mainEnv(renderObjects('heartbeat', 'direct-values.yaml'));
    expect(JSON.parse(direct.get('K_CE_OVERRIDES') ?? '')).toEqual({ extensions: { cluster: 'edge' } });
    expect(direct.get('K_CA_CERTS')).toContain('-----BEGIN CERTIFICATE-----');
    expect(direct.get('K_SINK_MODE')).toBe('structured');
    const bound = renderObjects('heartbeat', 'sinkbinding-values.yaml');
    expect(spec(ofKind(bound, 'SinkBinding')[0])['ceOverrides']).toEqual({
      extensions: { team: 'platform' },
    });
    expect(mainEnv(bound).has('K_CE_OVERRIDES')).toBe(false);
  });
});

describe('APIServer chart', () => {
  it('grants get/list/watch on exactly the configured resources, in each configured namespace, plus its Lease', () => {
    const objects = renderObjects('apiserver', 'sinkbinding-values.yaml');
    const watchRoles = ofKind(objects, 'Role').filter((role) => role.metadata.name.endsWith('-watch'));
    expect(watchRoles.map((role) => role.metadata.namespace).sort()).toEqual(['batch', 'web']);
    for (const role of watchRoles) {
      expect(role['rules']).toEqual([
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
      ]);
    }
    const bindings = ofKind(objects, 'RoleBinding');
    expect(bindings.every((b) => (b['subjects'] as { name: string }[])[0]?.name === 'rel-apiserver')).toBe(
      true,
    );
    const lease = ofKind(objects, 'Role').find((role) => role.metadata.name.endsWith('-leader-election'));
    expect(lease?.['rules']).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        resourceNames: ['rel-apiserver'],
        verbs: ['get', 'update', 'patch'],
      },
    ]);
    const env = mainEnv(objects);
    expect(env.get('LEADER_ELECTION')).toBe('true');
    expect(env.get('LEADER_ELECTION_LEASE_NAME')).toBe('rel-apiserver');
    expect(JSON.parse(env.get('K_SOURCE_CONFIG') ?? '')).toEqual({
      namespaces: ['web', 'batch'],
      allNamespaces: false,
      resources: [
        { gvr: { Group: '', Version: 'v1', Resource: 'pods' }, selector: 'app=web' },
        { gvr: { Group: 'apps', Version: 'v1', Resource: 'deployments' } },
      ],
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      mode: 'Resource',
    });
    expect(podTemplates(objects)[0]?.spec.automountServiceAccountToken).toBe(true);
  });

  it('uses a ClusterRole for allNamespaces and no Lease role for a single replica without leader election', () => {
    const cluster = renderObjects('apiserver', 'containersource-values.yaml');
    expect(ofKind(cluster, 'ClusterRole')[0]?.['rules']).toEqual([
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(ofKind(cluster, 'ClusterRoleBinding')).toHaveLength(1);
    const single = renderObjects('apiserver');
    expect(ofKind(single, 'Role').map((role) => role.metadata.name)).toEqual(['rel-apiserver-watch']);
    expect(mainEnv(single).has('LEADER_ELECTION')).toBe(false);
  });

  it('no other chart mounts a service account token', () => {
    for (const chart of CHARTS.filter((c) => !c.kubeApi)) {
      expect(
        podTemplates(renderObjects(chart.name, undefined, REQUIRED_VALUES[chart.name]))[0]?.spec
          .automountServiceAccountToken,
        chart.name,
      ).toBe(false);
    }
  });
});

describe('leader election', () => {
  const LEASE_RULES = (lease: string) => [
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      resourceNames: [lease],
      verbs: ['get', 'update', 'patch'],
    },
  ];
  const leaseRoles = (objects: readonly K8sObject[]) =>
    ofKind(objects, 'Role').filter((role) => role.metadata.name.endsWith('-leader-election'));

  it.each(['ping', 'heartbeat'])(
    '%s with 2 replicas: LEADER_ELECTION, the Lease named after the release, a Role on exactly that Lease',
    async (chart) => {
      const fullname = `rel-${chart}`;
      const objects = renderObjects(chart, 'leader-election-values.yaml');
      await validateAll(objects);
      expect(spec(ofKind(objects, 'Deployment')[0])['replicas']).toBe(2);
      const env = mainEnv(objects);
      expect(env.get('LEADER_ELECTION')).toBe('true');
      expect(env.get('LEADER_ELECTION_LEASE_NAME')).toBe(fullname);
      const container = podTemplates(objects)[0]?.spec.containers[0];
      // POD_NAME (the holder identity) once, from the downward API; heartbeat already sets it.
      expect(container?.env.filter((e) => e.name === 'POD_NAME')).toEqual([
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ]);
      expect(container?.env.some((e) => e.name === 'NAMESPACE')).toBe(true);
      const [role] = leaseRoles(objects);
      expect(role?.metadata.name).toBe(`${fullname}-leader-election`);
      expect(role?.['rules']).toEqual(LEASE_RULES(fullname));
      const binding = ofKind(objects, 'RoleBinding').find((b) => b.metadata.name === role?.metadata.name);
      expect(binding?.['roleRef']).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: `${fullname}-leader-election`,
      });
      // The pod's own ServiceAccount exists, is the one bound, and its token is mounted.
      const account = ofKind(objects, 'ServiceAccount')[0];
      expect(account?.metadata.name).toBe(fullname);
      expect(binding?.['subjects']).toEqual([
        { kind: 'ServiceAccount', name: fullname, namespace: NAMESPACE },
      ]);
      expect(podTemplates(objects)[0]?.spec.serviceAccountName).toBe(fullname);
      expect(podTemplates(objects)[0]?.spec.automountServiceAccountToken).toBe(true);
    },
  );

  it.each(['ping', 'heartbeat'])('%s: leaderElection.enabled turns it on with one replica', (chart) => {
    const objects = renderObjects(chart, undefined, ['leaderElection.enabled=true']);
    expect(mainEnv(objects).get('LEADER_ELECTION_LEASE_NAME')).toBe(`rel-${chart}`);
    expect(leaseRoles(objects)[0]?.['rules']).toEqual(LEASE_RULES(`rel-${chart}`));
  });

  it.each(['ping', 'heartbeat'])('%s with 1 replica and leader election off: no Role, no env', (chart) => {
    const objects = renderObjects(chart, undefined, ['replicaCount=1', 'leaderElection.enabled=false']);
    expect(ofKind(objects, 'Role')).toHaveLength(0);
    expect(ofKind(objects, 'RoleBinding')).toHaveLength(0);
    const env = mainEnv(objects);
    expect(env.has('LEADER_ELECTION')).toBe(false);
    expect(env.has('LEADER_ELECTION_LEASE_NAME')).toBe(false);
    expect(podTemplates(objects)[0]?.spec.automountServiceAccountToken).toBe(false);
  });

  it('ping: the Lease follows fullnameOverride, in every binding mode', () => {
    for (const mode of ['sinkbinding', 'containersource', 'direct']) {
      const objects = renderObjects('ping', 'leader-election-values.yaml', [
        'fullnameOverride=nightly',
        `binding.mode=${mode}`,
        'sink.uri=http://sink.example.com/',
      ]);
      expect(mainEnv(objects).get('LEADER_ELECTION_LEASE_NAME'), mode).toBe('nightly');
      expect(leaseRoles(objects)[0]?.['rules'], mode).toEqual(LEASE_RULES('nightly'));
    }
  });

  it('charts without a leaderElection value never elect', () => {
    for (const chart of CHARTS.filter((c) => !['apiserver', 'ping', 'heartbeat'].includes(c.name))) {
      const objects = renderObjects(chart.name, undefined, [
        ...(REQUIRED_VALUES[chart.name] ?? []),
        'replicaCount=2',
      ]);
      expect(leaseRoles(objects), chart.name).toHaveLength(0);
      expect(mainEnv(objects).has('LEADER_ELECTION'), chart.name).toBe(false);
    }
  });
});

describe('SQS chart', () => {
  it('annotates the ServiceAccount for IRSA and scales on queue depth with KEDA', () => {
    const objects = renderObjects('sqs', 'sinkbinding-values.yaml');
    expect(ofKind(objects, 'ServiceAccount')[0]?.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe(
      'arn:aws:iam::123456789012:role/tributary-sqs',
    );
    const scaled = spec(ofKind(objects, 'ScaledObject')[0]);
    expect(scaled['scaleTargetRef']).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rel-sqs' });
    expect(scaled['triggers']).toEqual([
      {
        type: 'aws-sqs-queue',
        metadata: {
          queueURL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
          queueLength: '5',
          awsRegion: 'eu-west-1',
          identityOwner: 'operator',
        },
      },
    ]);
    // KEDA owns the replica count.
    expect(spec(ofKind(objects, 'Deployment')[0])['replicas']).toBeUndefined();
    const eventType = ofKind(objects, 'EventType')[0];
    expect(spec(eventType)['source']).toBe('arn:aws:sqs:eu-west-1:123456789012:orders');
  });

  it('mounts an AWS credentials file as AWS_SHARED_CREDENTIALS_FILE', () => {
    const env = mainEnv(renderObjects('sqs', 'direct-values.yaml'));
    expect(env.get('AWS_SHARED_CREDENTIALS_FILE')).toBe('/var/run/secrets/tributary/AWS_SHARED_CREDENTIALS');
    expect(env.get('AWS_ENDPOINT_URL_SQS')).toBe('http://localhost:4566');
  });
});

describe('ping chart', () => {
  it('writes ping.sources to a ConfigMap the pod mounts as a directory, namespaces defaulted', () => {
    const objects = renderObjects('ping', 'sources-values.yaml');
    const configMap = ofKind(objects, 'ConfigMap')[0];
    const sources = parse((configMap?.['data'] as Record<string, string>)['sources.yaml'] ?? '') as {
      namespace: string;
      name: string;
    }[];
    expect(sources.map((s) => `${s.namespace}/${s.name}`)).toEqual([
      `${NAMESPACE}/every-minute`,
      'other/nightly',
    ]);
    const pod = podTemplates(objects)[0];
    expect(pod?.spec.volumes.find((v) => v.name === 'sources')?.configMap?.name).toBe(
      configMap?.metadata.name,
    );
    expect(pod?.spec.containers[0]?.volumeMounts.find((m) => m.name === 'sources')?.mountPath).toBe(
      '/etc/tributary/ping',
    );
    expect(mainEnv(objects).get('PING_SOURCES_FILE')).toBe('/etc/tributary/ping/sources.yaml');
    expect(mainEnv(objects).has('PING_SCHEDULE')).toBe(false);
  });

  it('a single schedule is plain env', () => {
    const env = mainEnv(renderObjects('ping', 'sinkbinding-values.yaml'));
    expect(env.get('PING_SCHEDULE')).toBe('CRON_TZ=Asia/Shanghai 0 9 * * 1-5');
    expect(env.get('PING_CONTENT_TYPE')).toBe('application/json');
  });

  it('multiTenant: the pingsource-mt-adapter env (no K_SINK, no NAME, no schedule), a ClusterRole on pingsources, no binding', () => {
    const objects = renderObjects('ping', 'multitenant-values.yaml');
    const env = mainEnv(objects);
    for (const variable of ['K_SINK', 'NAME', 'PING_SCHEDULE', 'PING_SOURCES_FILE', 'PING_WATCH_NAMESPACE', 'K_AUDIENCE']) {
      expect(env.has(variable), variable).toBe(false);
    }
    expect(env.get('LEADER_ELECTION')).toBe('true');
    expect(ofKind(objects, 'SinkBinding')).toEqual([]);
    expect(ofKind(objects, 'ConfigMap')).toEqual([]);
    expect(podTemplates(objects)[0]?.spec.automountServiceAccountToken).toBe(true);
    const [role] = ofKind(objects, 'ClusterRole');
    expect(role?.['rules']).toEqual([
      { apiGroups: ['sources.knative.dev'], resources: ['pingsources'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
    ]);
    const [binding] = ofKind(objects, 'ClusterRoleBinding');
    expect(binding?.['roleRef']).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role?.metadata.name });
    expect(binding?.['subjects']).toEqual([{ kind: 'ServiceAccount', name: 'rel-ping', namespace: NAMESPACE }]);
  });

  it('multiTenant with allNamespaces=false: a Role in the release namespace and PING_WATCH_NAMESPACE', () => {
    const objects = renderObjects('ping', 'multitenant-values.yaml', ['multiTenant.allNamespaces=false']);
    expect(ofKind(objects, 'ClusterRole')).toEqual([]);
    expect(ofKind(objects, 'Role').map((role) => role.metadata.name)).toContain('rel-ping-pingsources');
    const container = podTemplates(objects)[0]?.spec.containers[0] as unknown as { env: { name: string; valueFrom?: unknown }[] };
    expect(container.env.find((entry) => entry.name === 'PING_WATCH_NAMESPACE')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.namespace' } });
  });
});

describe('webhook charts', () => {
  it('github registers the Ingress URL when it manages the hook, and mounts both tokens', () => {
    const objects = renderObjects('github', 'sinkbinding-values.yaml');
    const env = mainEnv(objects);
    expect(env.get('GITHUB_WEBHOOK_URL')).toBe('http://hooks.example.com/');
    expect(env.get('GITHUB_SECRET_TOKEN_FILE')).toBe('/var/run/secrets/tributary/GITHUB_SECRET_TOKEN');
    expect(env.get('GITHUB_ACCESS_TOKEN_FILE')).toBe('/var/run/secrets/tributary/GITHUB_ACCESS_TOKEN');
    expect(
      (ofKind(objects, 'Secret')[0]?.['stringData'] as Record<string, string>)['GITHUB_SECRET_TOKEN'],
    ).toBe('not-a-real-secret');
    const rule = (spec(ofKind(objects, 'Ingress')[0])['rules'] as { host: string }[])[0];
    expect(rule?.host).toBe('hooks.example.com');
  });

  it.each(['github', 'gitlab'])('%s refuses an access token without a public URL to register', (chart) => {
    const key = `${chart.toUpperCase()}_ACCESS_TOKEN`;
    const required = REQUIRED_VALUES[chart] ?? [];
    const result = runHelm([
      'template',
      'rel',
      join(HELM_DIR, chart),
      ...[...required, `secret.values.${key}=token`].flatMap((s) => ['--set', s]),
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${chart}.webhookUrl: ${key} makes the adapter manage the hook`);
    const withUrl = renderObjects(chart, undefined, [
      ...required,
      `secret.values.${key}=token`,
      `${chart}.webhookUrl=https://hooks.example.com/x`,
      ...(chart === 'github' ? ['github.ownerRepo=acme/app'] : []),
    ]);
    expect(mainEnv(withUrl).get(`${chart.toUpperCase()}_WEBHOOK_URL`)).toBe('https://hooks.example.com/x');
  });

  it('github: hook management without github.ownerRepo fails naming it', () => {
    const result = render('github', undefined, [
      ...(REQUIRED_VALUES['github'] ?? []),
      'secret.values.GITHUB_ACCESS_TOKEN=token',
      'github.webhookUrl=https://hooks.example.com/x',
    ]);
    expect(result.stderr).toContain(
      'github.ownerRepo: GITHUB_ACCESS_TOKEN makes the adapter manage the hook',
    );
  });

  it('an existing Secret is mounted by name with the keys listed, and no Secret is created', () => {
    const objects = renderObjects('github', 'containersource-values.yaml');
    expect(ofKind(objects, 'Secret')).toHaveLength(0);
    expect(secretProjections(podTemplates(objects)[0])).toEqual([
      {
        name: 'github-webhook',
        items: [
          { key: 'GITHUB_SECRET_TOKEN', path: 'GITHUB_SECRET_TOKEN' },
          { key: 'GITHUB_ACCESS_TOKEN', path: 'GITHUB_ACCESS_TOKEN' },
        ],
      },
    ]);
  });

  it('keyRefs take a key of any Secret, beside the chart-made Secret, which then omits that key', () => {
    const objects = renderObjects('github', undefined, [
      'secret.values.GITHUB_SECRET_TOKEN=not-a-real-secret',
      'secret.values.GITHUB_ACCESS_TOKEN=replaced',
      'secret.keyRefs.GITHUB_ACCESS_TOKEN.name=githubsecret',
      'secret.keyRefs.GITHUB_ACCESS_TOKEN.key=accessToken',
      'github.ownerRepo=acme/app',
      'github.webhookUrl=https://hooks.example.com/',
    ]);
    expect(ofKind(objects, 'Secret')[0]?.['stringData']).toEqual({
      GITHUB_SECRET_TOKEN: 'not-a-real-secret',
    });
    expect(secretProjections(podTemplates(objects)[0])).toEqual([
      { name: 'githubsecret', items: [{ key: 'accessToken', path: 'GITHUB_ACCESS_TOKEN' }] },
      { name: 'rel-github', items: [{ key: 'GITHUB_SECRET_TOKEN', path: 'GITHUB_SECRET_TOKEN' }] },
    ]);
    expect(mainEnv(objects).get('GITHUB_ACCESS_TOKEN_FILE')).toBe(
      '/var/run/secrets/tributary/GITHUB_ACCESS_TOKEN',
    );
  });

  it('keyRefs alone satisfy the requirement for a secret', async () => {
    const objects = renderObjects('gitlab', 'containersource-values.yaml');
    const names = secretProjections(podTemplates(objects)[0]).map((s) => s.name);
    expect(names).toEqual(['gitlab-ca', 'gitlab-webhook']);
    const only = renderObjects('eventbridge', undefined, [
      'secret.keyRefs.EVENTBRIDGE_TOKEN.name=push',
      'secret.keyRefs.EVENTBRIDGE_TOKEN.key=token',
    ]);
    expect(ofKind(only, 'Secret')).toHaveLength(0);
    expect(mainEnv(only).get('EVENTBRIDGE_TOKEN_FILE')).toBe('/var/run/secrets/tributary/EVENTBRIDGE_TOKEN');
  });

  it('a keyRef must name both the Secret and the key', () => {
    const result = render('github', undefined, ['secret.keyRefs.GITHUB_SECRET_TOKEN.name=only-a-name']);
    expect(result.stderr).toContain(SCHEMA_FAILURE);
    expect(result.stderr).toContain("missing property 'key'");
  });

  it('a changed secret value changes the pod checksum (the pod restarts)', () => {
    const checksum = (token: string) =>
      podTemplates(
        renderObjects('gitlab', undefined, [
          `secret.values.GITLAB_SECRET_TOKEN=${token}`,
          'gitlab.eventSource=https://gitlab.com/group/project',
        ]),
      )[0]?.metadata.annotations['checksum/secret'];
    expect(checksum('one')).not.toBe(checksum('two'));
  });

  it.each(['github', 'gitlab', 'eventbridge'])('%s NOTES print the URL to register', (chart) => {
    const result = runHelm([
      'install',
      'rel',
      join(HELM_DIR, chart),
      '--namespace',
      NAMESPACE,
      '--dry-run=client',
      '--set',
      'ingress.enabled=true',
      '--set',
      'ingress.host=hooks.example.com',
      ...(REQUIRED_VALUES[chart] ?? []).flatMap((set) => ['--set', set]),
    ]);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.stdout).toContain('Webhook URL to register with the sender:\n  http://hooks.example.com/');
  });
});

describe('event registry', () => {
  const types = (objects: readonly K8sObject[]) =>
    ofKind(objects, 'EventType').map((e) => String(spec(e)['type']));
  const catalogueTypes = async (chart: string) => (await packageCatalogue(chart)).map((t) => t.type);

  it('creates one v1beta2 EventType per type the release emits, referencing the Broker sink', async () => {
    const objects = renderObjects('gitlab', 'sinkbinding-values.yaml');
    const eventTypes = ofKind(objects, 'EventType');
    // gitlab.eventTypes there is [push_events, merge_requests_events]: hook flags select types too.
    expect(types(objects)).toEqual([
      'dev.knative.sources.gitlab.push',
      'dev.knative.sources.gitlab.merge_request',
    ]);
    for (const eventType of eventTypes) {
      expect(eventType.apiVersion).toBe('eventing.knative.dev/v1beta2');
      expect(spec(eventType)).toMatchObject({
        source: 'https://gitlab.com/group/project',
        reference: { kind: 'Broker', name: 'default' },
      });
      expect(eventType.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    }
    const unfiltered = renderObjects('gitlab', 'sinkbinding-values.yaml', ['gitlab.eventTypes=null']);
    expect(types(unfiltered)).toEqual(await catalogueTypes('gitlab'));
    expect(new Set(ofKind(unfiltered, 'EventType').map((e) => e.metadata.name)).size).toBe(
      (await catalogueTypes('gitlab')).length,
    );
  });

  it('github: exactly the listed events, else every event of the catalogue', async () => {
    expect(types(renderObjects('github', 'sinkbinding-values.yaml'))).toEqual([
      'dev.knative.source.github.pull_request',
      'dev.knative.source.github.push',
    ]);
    const all = types(renderObjects('github', 'sinkbinding-values.yaml', ['github.eventTypes=null']));
    expect(all).toEqual(await catalogueTypes('github'));
    expect(all.length).toBeGreaterThan(50);
  });

  it('apiserver: the three types of the configured mode only', () => {
    const sets = ['eventTypes.enabled=true'];
    expect(types(renderObjects('apiserver', undefined, sets))).toEqual(
      ['add', 'update', 'delete'].map((change) => `dev.knative.apiserver.ref.${change}`),
    );
    expect(types(renderObjects('apiserver', undefined, [...sets, 'apiserver.mode=Resource']))).toEqual(
      ['add', 'update', 'delete'].map((change) => `dev.knative.apiserver.resource.${change}`),
    );
  });

  it('sqs: what the message processor can produce, with the queue ARN as source', async () => {
    const base = [
      'sqs.queueUrl=https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
      'eventTypes.enabled=true',
    ];
    const plain = renderObjects('sqs', undefined, base);
    expect(types(plain)).toEqual(['com.amazon.sqs.message']);
    expect(spec(ofKind(plain, 'EventType')[0])['source']).toBe('arn:aws:sqs:eu-west-1:123456789012:orders');
    const s3 = types(renderObjects('sqs', undefined, [...base, 'sqs.messageProcessor=s3']));
    expect(s3[0]).toBe('com.amazon.sqs.message');
    expect(s3.slice(1).every((t) => t.startsWith('com.amazon.s3.'))).toBe(true);
    expect(s3.length).toBe(
      (await catalogueTypes('sqs')).filter((t) => t !== 'com.amazon.events.event').length,
    );
    expect(types(renderObjects('sqs', undefined, [...base, 'sqs.messageProcessor=eventbridge']))).toEqual([
      'com.amazon.sqs.message',
      'com.amazon.events.event',
    ]);
  });

  it('eventbridge: type patterns narrow the catalogue; OSS types carry source acs.oss', async () => {
    const objects = renderObjects('eventbridge', 'sinkbinding-values.yaml', [
      'eventbridge.types={oss:ObjectCreated:*}',
    ]);
    const created = (await catalogueTypes('eventbridge')).filter((t) => t.startsWith('oss:ObjectCreated:'));
    expect(types(objects)).toEqual(created);
    for (const eventType of ofKind(objects, 'EventType')) expect(spec(eventType)['source']).toBe('acs.oss');
    await validateAll(objects);
  });

  it('eventTypes.types replaces the catalogue', () => {
    const objects = renderObjects('heartbeat', undefined, [
      'eventTypes.enabled=true',
      'eventTypes.types[0].type=com.example.custom',
      'eventTypes.types[0].source=/custom',
    ]);
    expect(types(objects)).toEqual(['com.example.custom']);
    expect(spec(ofKind(objects, 'EventType')[0])['source']).toBe('/custom');
  });

  it('no instance carries the registry.knative.dev/eventTypes annotation (Knative reads it from CRDs only)', () => {
    for (const chart of CHARTS.filter((c) => c.source)) {
      for (const mode of ['sinkbinding', 'containersource', 'direct']) {
        const objects = renderObjects(
          chart.name,
          'sinkbinding-values.yaml',
          [`binding.mode=${mode}`, 'sink.uri=https://events.example.com/', 'keda.enabled=false'].filter(
            (set) => chart.name === 'sqs' || !set.startsWith('keda'),
          ),
        );
        for (const object of objects) {
          expect(
            object.metadata.annotations?.['registry.knative.dev/eventTypes'],
            `${chart.name} ${mode} ${object.kind}`,
          ).toBeUndefined();
        }
      }
    }
  });

  it('v1beta3 EventTypes list the attributes instead', () => {
    const [eventType] = ofKind(renderObjects('ping', 'containersource-values.yaml'), 'EventType');
    expect(eventType?.apiVersion).toBe('eventing.knative.dev/v1beta3');
    expect(spec(eventType)['attributes']).toEqual(
      expect.arrayContaining([
        { name: 'type', value: 'dev.knative.sources.ping', required: true },
        { name: 'source', value: `/apis/v1/namespaces/${NAMESPACE}/pingsources/rel-ping`, required: true },
      ]),
    );
    expect(spec(eventType)['reference']).toEqual({
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Broker',
      name: 'default',
    });
  });

  it('OSS types, which are not DNS names, still give valid EventType names', async () => {
    const objects = renderObjects('eventbridge', 'sinkbinding-values.yaml');
    await validateAll(objects);
    expect(ofKind(objects, 'EventType').some((e) => String(spec(e)['type']).startsWith('oss:'))).toBe(true);
  });
});

describe('generated chart files', () => {
  it('Chart.yaml, values.yaml, values.schema.json, README.md, templates/_catalogue.tpl and templates/_test.tpl are what deploy/helm/generate.ts writes (run it after changing a value declaration or a catalogue)', async () => {
    for (const file of await generate()) {
      expect(readFileSync(file.path, 'utf8'), file.path).toBe(file.text);
    }
  });

  it.each(CHARTS.filter((c) => c.source).map((c) => c.name))(
    '%s: every catalogue type has a description',
    async (chart) => {
      for (const type of await packageCatalogue(chart)) expect(type.description, type.type).not.toBe('');
    },
  );
});

describe('packaging', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-helm-package-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('helm package bundles the library, and the archive renders offline on its own', async () => {
    const packaged = runHelm(['package', join(HELM_DIR, 'heartbeat'), '--destination', dir]);
    expect(packaged.status, packaged.stderr).toBe(0);
    const archive = join(dir, 'heartbeat-0.1.0.tgz');
    const listing = runHelm(['show', 'chart', archive]);
    expect(listing.stdout).toContain('name: heartbeat');
    const rendered = runHelm(['template', 'rel', archive, '--namespace', NAMESPACE]);
    expect(rendered.status, rendered.stderr).toBe(0);
    await validateAll(parseObjects(rendered.stdout));
  });

  it('renders with the release name folded into long names within Kubernetes limits', () => {
    const result = render('heartbeat', undefined, [], []);
    expect(result.status).toBe(0);
    const long = renderObjects('heartbeat', undefined, ['fullnameOverride=' + 'x'.repeat(80)]);
    for (const object of long) expect(object.metadata.name.length).toBeLessThanOrEqual(52);
  });
});

describe('env, envFrom and extra volumes', () => {
  it('a user env entry replaces the chart variable of the same name in place; valueFrom works', async () => {
    const objects = renderObjects('heartbeat', undefined, [
      'env.LOG_LEVEL=debug',
      'env.HEARTBEAT_LABEL.valueFrom.configMapKeyRef.name=labels',
      'env.HEARTBEAT_LABEL.valueFrom.configMapKeyRef.key=label',
      'heartbeat.label=from-values',
      'env.EXTRA=1',
    ]);
    await validateAll(objects);
    const container = podTemplates(objects)[0]?.spec.containers[0];
    const names = container?.env.map((e) => e.name) ?? [];
    expect(new Set(names).size).toBe(names.length);
    expect(names.indexOf('LOG_LEVEL')).toBeLessThan(names.indexOf('HEARTBEAT_PERIOD'));
    expect(container?.env.find((e) => e.name === 'LOG_LEVEL')).toEqual({ name: 'LOG_LEVEL', value: 'debug' });
    expect(container?.env.find((e) => e.name === 'HEARTBEAT_LABEL')).toEqual({
      name: 'HEARTBEAT_LABEL',
      valueFrom: { configMapKeyRef: { name: 'labels', key: 'label' } },
    });
    expect(names.at(-1)).toBe('EXTRA');
  });

  it('envFrom, extraVolumes and extraVolumeMounts reach the pod (a GitHub Enterprise CA bundle)', async () => {
    const objects = renderObjects('github', undefined, [
      ...(REQUIRED_VALUES['github'] ?? []),
      'envFrom[0].secretRef.name=github-extra',
      'extraVolumes[0].name=enterprise-ca',
      'extraVolumes[0].configMap.name=enterprise-ca',
      'extraVolumeMounts[0].name=enterprise-ca',
      'extraVolumeMounts[0].mountPath=/etc/enterprise-ca',
      'env.NODE_EXTRA_CA_CERTS=/etc/enterprise-ca/ca.crt',
    ]);
    await validateAll(objects);
    const pod = podTemplates(objects)[0];
    expect(pod?.spec.containers[0]?.envFrom).toEqual([{ secretRef: { name: 'github-extra' } }]);
    expect(pod?.spec.volumes.find((v) => v.name === 'enterprise-ca')?.configMap).toEqual({
      name: 'enterprise-ca',
    });
    expect(pod?.spec.containers[0]?.volumeMounts).toContainEqual({
      name: 'enterprise-ca',
      mountPath: '/etc/enterprise-ca',
    });
  });
});

describe('operations', () => {
  const OPS = [
    'podDisruptionBudget.enabled=true',
    'autoscaling.enabled=true',
    'autoscaling.maxReplicas=4',
    'podMonitor.enabled=true',
    'podMonitor.interval=15s',
    'serviceMonitor.enabled=true',
    'serviceMonitor.labels.release=prometheus',
    'service.enabled=true',
    'priorityClassName=tributary-high',
    'topologySpreadConstraints[0].maxSkew=1',
    'topologySpreadConstraints[0].topologyKey=topology.kubernetes.io/zone',
    'topologySpreadConstraints[0].whenUnsatisfiable=ScheduleAnyway',
    'podLabels.team=platform',
    'podAnnotations.owner=platform',
  ];

  it.each(CHARTS.map((c) => c.name))(
    '%s: PDB, HPA, monitors, spread and priority, all selecting its pods',
    async (chart) => {
      const objects = renderObjects(chart, undefined, [...(REQUIRED_VALUES[chart] ?? []), ...OPS]);
      await validateAll(objects);
      const pod = podTemplates(objects)[0];
      const selector = { 'app.kubernetes.io/name': chart, 'app.kubernetes.io/instance': 'rel' };
      expect(pod?.metadata.labels).toMatchObject({ ...selector, team: 'platform' });
      expect(pod?.metadata.annotations['owner']).toBe('platform');
      const podSpec = pod?.spec as unknown as Record<string, unknown>;
      expect(podSpec['priorityClassName']).toBe('tributary-high');
      expect(podSpec['topologySpreadConstraints']).toEqual([
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: selector },
        },
      ]);
      expect(spec(ofKind(objects, 'PodDisruptionBudget')[0])).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: selector },
      });
      const hpa = spec(ofKind(objects, 'HorizontalPodAutoscaler')[0]);
      expect(hpa['scaleTargetRef']).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: `rel-${chart}`,
      });
      expect(hpa['maxReplicas']).toBe(4);
      expect(spec(ofKind(objects, 'Deployment')[0])['replicas']).toBeUndefined();
      const podMonitor = spec(ofKind(objects, 'PodMonitor')[0]);
      expect(podMonitor['podMetricsEndpoints']).toEqual([
        { port: 'metrics', path: '/metrics', interval: '15s' },
      ]);
      const serviceMonitor = ofKind(objects, 'ServiceMonitor')[0];
      expect(serviceMonitor?.metadata.labels?.['release']).toBe('prometheus');
      // The ServiceMonitor's selector finds the chart's Service, whose port "metrics" reaches the pods.
      const service = ofKind(objects, 'Service')[0];
      expect(service?.metadata.labels).toMatchObject(
        (spec(serviceMonitor)['selector'] as { matchLabels: object }).matchLabels,
      );
      expect((spec(service)['ports'] as { name: string }[]).map((p) => p.name)).toContain('metrics');
    },
  );

  it('a PDB takes minAvailable instead of maxUnavailable', () => {
    const objects = renderObjects('ping', undefined, [
      'podDisruptionBudget.enabled=true',
      'podDisruptionBudget.minAvailable=1',
    ]);
    expect(spec(ofKind(objects, 'PodDisruptionBudget')[0])['minAvailable']).toBe(1);
    expect(spec(ofKind(objects, 'PodDisruptionBudget')[0])['maxUnavailable']).toBeUndefined();
  });

  it.each([
    [['serviceMonitor.enabled=true'], 'service.enabled: serviceMonitor.enabled scrapes through the chart'],
    [
      ['autoscaling.enabled=true', 'binding.mode=containersource'],
      "autoscaling.enabled: a ContainerSource's Deployment belongs to Knative",
    ],
  ])('heartbeat %j fails naming the value', (sets, message) => {
    const result = render('heartbeat', undefined, sets);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(message);
  });

  it('sqs: the HPA and KEDA exclude each other', () => {
    const result = render('sqs', 'sinkbinding-values.yaml', ['autoscaling.enabled=true']);
    expect(result.stderr).toContain('autoscaling.enabled: keda.enabled scales this Deployment already');
  });

  it.each(CHARTS.map((c) => c.name))(
    '%s: Chart.yaml has home, sources, icon, kubeVersion and maintainers',
    (chart) => {
      const meta = parse(readFileSync(join(HELM_DIR, chart, 'Chart.yaml'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(meta['home']).toMatch(/^https:\/\//);
      expect(meta['icon']).toMatch(/^https:\/\/.*\.svg$/);
      expect(meta['kubeVersion']).toBe('>=1.28.0-0');
      expect((meta['sources'] as string[]).length).toBeGreaterThan(0);
      expect((meta['maintainers'] as { name: string }[])[0]?.name).toBeTruthy();
    },
  );
});
