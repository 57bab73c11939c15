// What differs between the adapter charts: each adapter's own values, declared once each (schema,
// default, description), and its Secret keys. generate.ts writes every chart's values.yaml,
// values.schema.json and README from this file plus the shared values (common-values.ts); the event
// catalogue is the adapter's own `Adapter.eventTypes`.
import { ingressValues, serviceValues } from './common-values.ts';
import { bool, int, obj, oneOf, str, type Schema } from './schema.ts';
import { group, value, type Values } from './values.ts';

export interface ChartSpec {
  readonly name: string;
  /** Chart.yaml description and keywords (after knative, eventing, cloudevents). */
  readonly description: string;
  readonly keywords: readonly string[];
  /** The upstream adapter or service it stands in for (Chart.yaml sources, next to the project's own). */
  readonly replaces: string;
  /** Sends events (has a sink and binding modes); false for the display sink. */
  readonly source: boolean;
  /** Receives HTTP pushes: Service and Ingress on by default, NOTES print the URL. */
  readonly webhook: boolean;
  /** Keys the chart's Secret may hold; each is mounted as a file and read through <KEY>_FILE. */
  readonly secretKeys: readonly string[];
  /** Keys assumed in an existing Secret unless secret.keys says otherwise. */
  readonly existingSecretKeys: readonly string[];
  /** The pod needs the Kubernetes API (the APIServer adapter). */
  readonly kubeApi: boolean;
  /** The adapter's own values (top-level keys), each declared once. */
  readonly values: Values;
  /** Extra top-level rules (allOf entries). */
  readonly rules?: readonly Schema[];
  readonly resources?: { readonly cpu: string; readonly memory: string; readonly limitMemory: string };
  /** The one delivery `helm test` sends to a webhook chart's release (templates/_test.tpl). */
  readonly testDelivery?: TestDelivery;
}

/**
 * A delivery as the sender makes it: headers and JSON body, authenticated with the Secret key
 * `auth.key` the way the sender does (`hmac-sha256`: `sha256=<hex HMAC of the body>` in
 * `auth.header`, GitHub's X-Hub-Signature-256; `token`: the secret itself in `auth.header`).
 * Without that key the delivery goes unsigned (the adapter then accepts unsigned intake, or the
 * render would have failed), unless a key in `unsignable` is mounted: a credential the test cannot
 * produce (a signing key held by the sender), and then `helm test` checks readiness only.
 */
export interface TestDelivery {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, unknown>>;
  readonly auth: { readonly key: string; readonly scheme: 'hmac-sha256' | 'token'; readonly header: string };
  readonly unsignable?: readonly string[];
  /** Variables that, set to true in the release's env, make the adapter check such a signature too. */
  readonly unsignableEnv?: readonly string[];
}

const list = (): Schema => ({ type: 'array', items: { type: 'string', minLength: 1 } });

/** The leaderElection value of the adapters that elect a leader (tributary-lib's _leaderelection.tpl). */
const leaderElectionValues = (what: string): Values => ({
  leaderElection: group(
    `With more than one replica, one leader ${what} and the others wait. They share a coordination.k8s.io Lease named after the release: the chart grants the pod's ServiceAccount exactly that Lease and mounts its token. LEADER_ELECTION, LEADER_ELECTION_LEASE_NAME.`,
    { enabled: value(bool(), false, 'Elect a leader; on automatically when replicaCount > 1.') },
  ),
});

/** Leader election binds the Lease Role to the pod's ServiceAccount: it needs one of its own. */
const leaderElectionServiceAccountRule: Schema = {
  description:
    "Leader election (leaderElection.enabled or replicaCount > 1) needs the pod's own ServiceAccount: serviceAccount.create=true or serviceAccount.name.",
  if: {
    anyOf: [
      {
        required: ['leaderElection'],
        properties: { leaderElection: { required: ['enabled'], properties: { enabled: { const: true } } } },
      },
      { required: ['replicaCount'], properties: { replicaCount: { minimum: 2 } } },
    ],
  },
  then: {
    properties: {
      serviceAccount: {
        anyOf: [
          { properties: { create: { const: true } } },
          { required: ['name'], properties: { name: { minLength: 1 } } },
        ],
      },
    },
  },
};

/** The PingSource RBAC is bound to the pod's ServiceAccount: it needs one of its own. */
const multiTenantServiceAccountRule: Schema = {
  description:
    "multiTenant.enabled binds the PingSource ClusterRole (or Role) to the pod's own ServiceAccount: serviceAccount.create=true or serviceAccount.name.",
  if: {
    required: ['multiTenant'],
    properties: { multiTenant: { required: ['enabled'], properties: { enabled: { const: true } } } },
  },
  then: {
    properties: {
      serviceAccount: {
        anyOf: [
          { properties: { create: { const: true } } },
          { required: ['name'], properties: { name: { minLength: 1 } } },
        ],
      },
    },
  },
};

const heartbeat: ChartSpec = {
  name: 'heartbeat',
  description: "Heartbeat source, event for event like Knative's ContainerSource heartbeats sample",
  keywords: ['containersource', 'heartbeat'],
  replaces: 'https://github.com/knative/eventing/tree/main/cmd/heartbeats',
  source: true,
  webhook: false,
  secretKeys: [],
  existingSecretKeys: [],
  kubeApi: false,
  values: {
    heartbeat: group(
      "The heartbeat itself (Knative's cmd/heartbeats sample). POD_NAME and POD_NAMESPACE come from the downward API.",
      {
        period: value(
          str({ pattern: '^([0-9]+|([0-9.]+(ns|us|µs|ms|s|m|h))+)$' }),
          '5s',
          'Time between beats: a Go duration (5s, 1m30s) or whole seconds. HEARTBEAT_PERIOD.',
        ),
        label: value(str(), '', 'Copied into every event\'s data as "label". HEARTBEAT_LABEL.'),
        msg: value(
          str(),
          '',
          'Copied into every event\'s data as "msg" (left out when empty). HEARTBEAT_MSG.',
        ),
      },
    ),
    ...leaderElectionValues('beats'),
  },
  rules: [leaderElectionServiceAccountRule],
};

const ping: ChartSpec = {
  name: 'ping',
  description:
    'Cron source replacing the PingSource adapter: one schedule, thousands from a file, or every PingSource object',
  keywords: ['pingsource', 'cron'],
  replaces: 'https://github.com/knative/eventing/tree/main/pkg/adapter/mtping',
  source: true,
  webhook: false,
  secretKeys: [],
  existingSecretKeys: [],
  kubeApi: false,
  values: {
    ping: group(
      'One schedule (like one PingSource), or many from ping.sources. Events carry source /apis/v1/namespaces/<namespace>/pingsources/<release name>.',
      {
        schedule: value(
          str(),
          '* * * * *',
          'Cron: 5 fields, or 6 with leading seconds; "CRON_TZ=Europe/Paris " prefix allowed. PING_SCHEDULE.',
        ),
        timezone: value(str(), '', 'IANA time zone the schedule runs in (default UTC). PING_TIMEZONE.'),
        data: value(str(), '', 'Payload sent as-is. PING_DATA; not with dataBase64.'),
        dataBase64: value(
          str({ pattern: '^[A-Za-z0-9+/]*={0,2}$' }),
          '',
          'Base64 bytes decoded before sending. PING_DATA_BASE64; not with data.',
        ),
        contentType: value(
          str(),
          '',
          'datacontenttype; with application/json the data must be a JSON object. PING_CONTENT_TYPE.',
        ),
        sources: value(
          {
            type: 'array',
            items: obj(
              {
                namespace: str(),
                name: str({ minLength: 1 }),
                schedule: str({ minLength: 1 }),
                timezone: str(),
                data: str(),
                dataBase64: str(),
                contentType: str(),
                sink: str(),
                ceOverrides: { type: 'object' },
              },
              { required: ['name', 'schedule'] },
            ),
          },
          [],
          'Many schedules in one pod: a list of PingSource-like entries (namespace, name, schedule, timezone, data, dataBase64, contentType, sink, ceOverrides), written to a ConfigMap and read through PING_SOURCES_FILE; the adapter reloads it when it changes. namespace defaults to the release namespace. When set, ping.schedule is not used.',
        ),
      },
      {
        not: {
          required: ['data', 'dataBase64'],
          properties: { data: { minLength: 1 }, dataBase64: { minLength: 1 } },
        },
        anyOf: [
          { required: ['schedule'], properties: { schedule: { minLength: 1 } } },
          { required: ['sources'], properties: { sources: { minItems: 1 } } },
        ],
      },
    ),
    multiTenant: group(
      "Knative's multi-tenant PingSource adapter (pingsource-mt-adapter): serve every Ready PingSource object, each to its own status.sinkUri (with its sinkCACerts and OIDC identity), instead of the schedules above. binding and sink are then unused: no SinkBinding, no K_SINK, no NAME. The chart grants get, list and watch on pingsources.sources.knative.dev and create on serviceaccounts/token (for PingSources whose sink asks for OIDC).",
      {
        enabled: value(bool(), false, 'Serve the PingSource objects.'),
        allNamespaces: value(
          bool(),
          true,
          'Watch every namespace (a ClusterRole); false: the release namespace only (a Role; PING_WATCH_NAMESPACE).',
        ),
      },
    ),
    ...leaderElectionValues('fires the schedules'),
  },
  rules: [leaderElectionServiceAccountRule, multiTenantServiceAccountRule],
};

/** What the charts that receive HTTP pushes add: the Service (on) and an Ingress. */
const webhookValues = (path: string): Values => ({ ...serviceValues(true), ...ingressValues(path) });

const github: ChartSpec = {
  name: 'github',
  description: "GitHub webhook source replacing eventing-github's adapter",
  keywords: ['github', 'webhook'],
  replaces: 'https://github.com/knative-extensions/eventing-github',
  source: true,
  webhook: true,
  secretKeys: ['GITHUB_SECRET_TOKEN', 'GITHUB_SECRET_TOKEN_PREVIOUS', 'GITHUB_ACCESS_TOKEN', 'GITHUB_APP_PRIVATE_KEY'],
  existingSecretKeys: ['GITHUB_SECRET_TOKEN'],
  kubeApi: false,
  values: {
    github: group(
      'GitHub webhook intake (replaces eventing-github). Secrets (webhook secret, access token) go in secret, never here.',
      {
        ownerRepo: value(
          str(),
          '',
          'owner/repo or org, comma separated for several; the source of the events. GITHUB_OWNER_REPO.',
        ),
        url: value(
          str(),
          '',
          'Web URL of GitHub Enterprise Server (default https://github.com). GITHUB_URL.',
        ),
        eventTypes: value(
          list(),
          [],
          'X-GitHub-Event names to forward (push, pull_request, ...); empty forwards all. GITHUB_EVENT_TYPES.',
        ),
        allowUnsigned: value(
          bool(),
          false,
          'Accept deliveries without a signature (no GITHUB_SECRET_TOKEN). Not for production. GITHUB_ALLOW_UNSIGNED.',
        ),
        webhookUrl: value(
          str(),
          '',
          'Hook management (needs GITHUB_ACCESS_TOKEN, or GITHUB_APP_PRIVATE_KEY with github.appId and github.appInstallationId, in the Secret): the public URL GitHub should call. Empty uses the Ingress URL when the Ingress is enabled. GITHUB_WEBHOOK_URL.',
        ),
        apiUrl: value(str(), '', 'API URL (default derived from github.url). GITHUB_API_URL.'),
        appId: value(
          { type: ['string', 'integer'] },
          '',
          "GitHub App authentication instead of a token: the App ID (or its client ID); the App's private key goes in the Secret as GITHUB_APP_PRIVATE_KEY. GITHUB_APP_ID.",
        ),
        appInstallationId: value(
          { type: ['string', 'integer'] },
          '',
          "The GitHub App's installation id on the account that owns github.ownerRepo. GITHUB_APP_INSTALLATION_ID.",
        ),
        deleteWebhookOnUninstall: value(
          bool(),
          true,
          'On helm uninstall, a pre-delete Job runs the adapter with --delete-webhook to remove the hook. Replicas never remove it when they stop.',
        ),
      },
    ),
    ...webhookValues('/'),
  },
  // GitHub's own first delivery to a new hook: X-GitHub-Event ping (docs.github.com, "Webhook events
  // and payloads", ping); forwarded as dev.knative.source.github.ping unless github.eventTypes omits it.
  testDelivery: {
    headers: { 'x-github-event': 'ping', 'x-github-delivery': 'helm-test-{{ .Release.Revision }}' },
    body: { zen: 'Keep it logically awesome.', hook_id: 0, hook: { type: 'Repository', events: ['*'] } },
    auth: { key: 'GITHUB_SECRET_TOKEN', scheme: 'hmac-sha256', header: 'x-hub-signature-256' },
  },
};

const gitlab: ChartSpec = {
  name: 'gitlab',
  description: "GitLab webhook source replacing eventing-gitlab's adapter",
  keywords: ['gitlab', 'webhook'],
  replaces: 'https://github.com/knative-extensions/eventing-gitlab',
  source: true,
  webhook: true,
  secretKeys: ['GITLAB_SECRET_TOKEN', 'GITLAB_ACCESS_TOKEN', 'GITLAB_CA_CERTS'],
  existingSecretKeys: ['GITLAB_SECRET_TOKEN'],
  kubeApi: false,
  values: {
    gitlab: group('GitLab webhook intake (replaces eventing-gitlab). Secrets go in secret.', {
      eventSource: value(
        str(),
        '',
        "Project URL (Knative's spec.projectUrl): the source of the events. GITLAB_EVENT_SOURCE.",
      ),
      groupUrl: value(
        str(),
        '',
        'Group URL, for a group hook (instead of, or as well as, a project). GITLAB_GROUP_URL.',
      ),
      eventTypes: value(
        list(),
        [],
        'Hook flags or type suffixes to forward (push_events or push, merge_requests_events, ...); empty forwards all. GITLAB_EVENT_TYPES.',
      ),
      allowUnsigned: value(
        bool(),
        false,
        'Accept deliveries without X-Gitlab-Token. Not for production. GITLAB_ALLOW_UNSIGNED.',
      ),
      webhookUrl: value(
        str(),
        '',
        'Hook management (needs GITLAB_ACCESS_TOKEN in the Secret): the public URL GitLab should call. Empty uses the Ingress URL when the Ingress is enabled. GITLAB_WEBHOOK_URL.',
      ),
      sslVerify: value(
        bool(),
        true,
        "Ask GitLab to verify this endpoint's TLS certificate. GITLAB_SSL_VERIFY.",
      ),
      baseUrl: value(
        str(),
        '',
        'Instance root for API calls, e.g. https://host/gitlab (default: found from the project URL). A private CA for those calls goes in the Secret as GITLAB_CA_CERTS. GITLAB_BASE_URL.',
      ),
      deleteWebhookOnUninstall: value(
        bool(),
        true,
        'On helm uninstall, a pre-delete Job runs the adapter with --delete-webhook to remove the hook. Replicas never remove it when they stop.',
      ),
    }),
    ...webhookValues('/'),
  },
  // GitLab's "Test" button sends a sample Push Hook; this one names no project, so its source is the
  // release's gitlab.eventSource.
  testDelivery: {
    headers: { 'x-gitlab-event': 'Push Hook', 'idempotency-key': 'helm-test-{{ .Release.Revision }}' },
    body: {
      object_kind: 'push',
      event_name: 'push',
      ref: 'refs/heads/helm-test',
      commits: [],
      total_commits_count: 0,
    },
    auth: { key: 'GITLAB_SECRET_TOKEN', scheme: 'token', header: 'x-gitlab-token' },
  },
};

const eventbridge: ChartSpec = {
  name: 'eventbridge',
  description: 'Alibaba Cloud EventBridge (OSS) and AWS EventBridge HTTP push source',
  keywords: ['eventbridge', 'oss', 'webhook'],
  replaces: 'https://www.alibabacloud.com/help/en/eventbridge',
  source: true,
  webhook: true,
  secretKeys: ['EVENTBRIDGE_TOKEN', 'EVENTBRIDGE_PUBLIC_KEY'],
  existingSecretKeys: ['EVENTBRIDGE_TOKEN'],
  kubeApi: false,
  values: {
    eventbridge: group(
      'Alibaba Cloud EventBridge (OSS events) and AWS EventBridge HTTP push intake. The shared token (x-eventbridge-signature-token) or the signing certificate goes in secret.',
      {
        types: value(
          list(),
          [],
          'Types to forward, * wildcards allowed (oss:ObjectCreated:*); empty forwards all. EVENTBRIDGE_TYPES.',
        ),
        allowUnauthenticated: value(
          bool(),
          false,
          'Accept pushes without a token or signature. Not for production. EVENTBRIDGE_ALLOW_UNAUTHENTICATED.',
        ),
        targetUrl: value(
          str(),
          '',
          'With EVENTBRIDGE_PUBLIC_KEY in the Secret: the target URL exactly as configured in EventBridge, which the signature covers. EVENTBRIDGE_TARGET_URL.',
        ),
      },
    ),
    ...webhookValues('/'),
  },
  // A structured CloudEvent, one of the shapes an EventBridge HTTP target pushes; the signing
  // certificate's private key stays with Alibaba Cloud, so a release that checks signatures gets a
  // readiness check only.
  testDelivery: {
    headers: { 'content-type': 'application/cloudevents+json' },
    body: {
      specversion: '1.0',
      id: 'helm-test-{{ .Release.Revision }}',
      source: 'helm-test',
      type: 'dev.tributary.helm.test',
      data: { release: '{{ .Release.Name }}' },
    },
    auth: { key: 'EVENTBRIDGE_TOKEN', scheme: 'token', header: 'x-eventbridge-signature-token' },
    unsignable: ['EVENTBRIDGE_PUBLIC_KEY'],
    unsignableEnv: ['EVENTBRIDGE_SIGNATURE_V2'],
  },
};

const sqs: ChartSpec = {
  name: 'sqs',
  description: "Amazon SQS source replacing TriggerMesh's AWSSQSSource adapter",
  keywords: ['sqs', 'aws'],
  replaces: 'https://github.com/triggermesh/triggermesh/tree/main/pkg/sources/adapter/awssqssource',
  source: true,
  webhook: false,
  secretKeys: ['AWS_SHARED_CREDENTIALS'],
  existingSecretKeys: ['AWS_SHARED_CREDENTIALS'],
  kubeApi: false,
  values: {
    sqs: group(
      "Amazon SQS receiver (replaces TriggerMesh's AWSSQSSource). Credentials come from the AWS SDK's default chain: IRSA (aws.roleArn), or an AWS credentials file in the Secret (key AWS_SHARED_CREDENTIALS → AWS_SHARED_CREDENTIALS_FILE).",
      {
        queueUrl: value(str(), '', 'The queue by URL (SQS_QUEUE_URL); this or queueArn is required.'),
        queueArn: value(
          str({ pattern: '^(arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]+)?$' }),
          '',
          'The queue by ARN (SQS_QUEUE_ARN).',
        ),
        region: value(str(), '', 'AWS_REGION (default: taken from the queue URL or ARN).'),
        messageProcessor: value(
          oneOf('default', 's3', 'eventbridge'),
          'default',
          'How a message body becomes a CloudEvent (SQS_MESSAGE_PROCESSOR). It also decides which types the EventTypes advertise (s3 and eventbridge fall back to com.amazon.sqs.message for bodies that are not theirs).',
        ),
        receivers: value(int(1, 100), 4, 'Parallel long-polling receivers. SQS_RECEIVERS.'),
        maxInflight: value(
          { type: ['string', 'integer'], pattern: '^[0-9]*$' },
          '',
          'Messages being delivered at once (default K_SINK_CONCURRENCY). SQS_MAX_INFLIGHT.',
        ),
        endpoint: value(
          str(),
          '',
          'Endpoint override for emulators and VPC endpoints. AWS_ENDPOINT_URL_SQS.',
        ),
      },
    ),
    aws: group('IAM role for service accounts: the role the pod assumes.', {
      roleArn: value(
        str(),
        '',
        'arn:aws:iam::<account>:role/<name>; sets eks.amazonaws.com/role-arn on the ServiceAccount.',
      ),
    }),
    keda: group(
      "Scale on queue depth with KEDA (keda.sh/v1alpha1 ScaledObject, aws-sqs-queue trigger). sinkbinding and direct modes only: a ContainerSource owns its Deployment's replicas.",
      {
        enabled: value(bool(), false, 'Create the ScaledObject.'),
        minReplicaCount: value(int(0), 1, 'Fewest replicas.'),
        maxReplicaCount: value(int(1), 10, 'Most replicas.'),
        queueLength: value(int(1), 5, 'Target visible messages per replica.'),
        pollingInterval: value(int(1), 30, 'Seconds between queue depth checks.'),
        cooldownPeriod: value(
          int(0),
          300,
          'Seconds after the last activity before scaling to minReplicaCount.',
        ),
        identityOwner: value(
          oneOf('operator', 'pod'),
          'operator',
          "operator: KEDA's own IAM identity reads the queue depth; pod: the TriggerAuthentication named in authenticationRef.",
        ),
        authenticationRef: value(str(), '', 'TriggerAuthentication name (identityOwner: pod).'),
      },
      {
        if: { properties: { identityOwner: { const: 'pod' } } },
        then: { properties: { authenticationRef: { minLength: 1 } } },
      },
    ),
  },
  rules: [
    {
      description: 'KEDA scales a Deployment the chart owns: not with binding.mode=containersource.',
      if: { properties: { keda: { properties: { enabled: { const: true } } } } },
      then: { properties: { binding: { properties: { mode: { enum: ['sinkbinding', 'direct'] } } } } },
    },
  ],
};

const apiserver: ChartSpec = {
  name: 'apiserver',
  description: "Kubernetes API server source replacing Knative's ApiServerSource adapter",
  keywords: ['apiserversource', 'kubernetes'],
  replaces: 'https://github.com/knative/eventing/tree/main/pkg/adapter/apiserver',
  source: true,
  webhook: false,
  secretKeys: [],
  existingSecretKeys: [],
  kubeApi: true,
  values: {
    apiserver: group(
      "Kubernetes API server watcher (replaces ApiServerSource's adapter). The chart grants get, list and watch on exactly these resources, in exactly these namespaces (K_SOURCE_CONFIG).",
      {
        mode: value(
          oneOf('Reference', 'Resource'),
          'Reference',
          'Resource: events carry the object; Reference: only kind/namespace/name/apiVersion.',
        ),
        resources: value(
          {
            type: 'array',
            minItems: 1,
            items: obj(
              {
                group: str(),
                version: str({ minLength: 1 }),
                resource: str({ minLength: 1, pattern: '^[a-z0-9.-]+$' }),
                selector: str(),
              },
              { required: ['group', 'version', 'resource'] },
            ),
          },
          [{ group: '', version: 'v1', resource: 'events' }],
          'Resources to watch, by group/version/plural resource (core group: ""), each with an optional label selector (selector: app=myapp).',
        ),
        namespaces: value(
          { type: 'array', items: str({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }) },
          [],
          'Namespaces to watch; empty means the release namespace. Ignored with allNamespaces.',
        ),
        allNamespaces: value(
          bool(),
          false,
          'Watch the whole cluster: a ClusterRole instead of per-namespace Roles.',
        ),
        owner: value(
          obj({ apiVersion: str(), kind: str() }),
          {},
          'Keep only objects whose controller is of this kind, e.g. {apiVersion: apps/v1, kind: ReplicaSet}.',
        ),
        sendInitial: value(
          bool(),
          false,
          'Announce objects that exist at startup as add events. APISERVER_SEND_INITIAL.',
        ),
      },
      { required: ['mode', 'resources'] },
    ),
    ...leaderElectionValues('watches'),
  },
  resources: { cpu: '20m', memory: '64Mi', limitMemory: '256Mi' },
};

const display: ChartSpec = {
  name: 'display',
  description: 'Event display sink that logs and shows every CloudEvent it receives',
  keywords: ['event-display', 'sink'],
  replaces: 'https://github.com/knative/eventing/tree/main/cmd/event_display',
  source: false,
  webhook: true,
  secretKeys: [],
  existingSecretKeys: [],
  kubeApi: false,
  values: {
    display: group(
      "The event-display sink: logs every CloudEvent it receives and shows the latest on a page. Point a Trigger or a source's sink at its Service.",
      {
        maxEvents: value(
          int(1, 100_000),
          500,
          'Events kept in memory for the page and GET /api/events. DISPLAY_MAX_EVENTS.',
        ),
        logFormat: value(
          oneOf('text', 'json'),
          'text',
          'text: one readable line per event; json: one JSON log line per event. LOG_FORMAT.',
        ),
      },
    ),
    ...webhookValues('/'),
  },
};

/**
 * Chart.yaml metadata every chart shares. kubeVersion: Knative Eventing 1.14+ (EventType v1beta3)
 * needs Kubernetes 1.28; policy/v1 and autoscaling/v2 are older than that.
 */
export const CHART_META = {
  home: 'https://knative.dev/docs/eventing/sources/',
  icon: 'https://raw.githubusercontent.com/cncf/artwork/main/projects/knative/icon/color/knative-icon-color.svg',
  kubeVersion: '>=1.28.0-0',
  maintainers: [{ name: 'Tributary maintainers' }],
  keywords: ['knative', 'eventing', 'cloudevents'],
} as const;

export const CHARTS: readonly ChartSpec[] = [
  heartbeat,
  ping,
  github,
  gitlab,
  eventbridge,
  sqs,
  apiserver,
  display,
];
