import type { PlaygroundSettings } from './settings.ts';
import { GITHUB_PUSH, GITLAB_MERGE_REQUEST } from './samples.ts';

export interface Secrets {
  readonly github: string;
  readonly gitlab: string;
  readonly eventbridge: string;
}

export interface SqsQueue {
  readonly endpoint: string;
  readonly queueUrl: string;
}

/** A webhook receiver's public face, printed in the banner. */
export interface WebhookInfo {
  readonly label: string;
  /** What the sender puts the secret in. */
  readonly header: string;
  readonly secret: string;
}

export interface AdapterSpec {
  /** The package under packages/ and the bundle name. */
  readonly name: string;
  /** What it does here, for the banner and the page. */
  readonly summary: string;
  /** Fixed port for webhook receivers (0: any free port). */
  readonly preferredPort: number;
  /** Why it cannot run in this environment; undefined when it can. */
  readonly cannotRun?: string | undefined;
  /** The adapter's own variables (core's K_SINK, PORT, METRICS_PORT are added by the runner). */
  readonly env: Readonly<Record<string, string>>;
  readonly webhook?: WebhookInfo;
  /** Pass the whole environment through (kubeconfig exec plugins need HOME, cloud CLIs, ...). */
  readonly inheritEnv?: boolean;
  /** Readiness depends on an outside system: keep running (with a note) when it is not ready yet. */
  readonly readinessOptional?: boolean;
}

export const PING_SCHEDULE = '*/10 * * * * *';
export const HEARTBEAT_PERIOD = '10s';

/**
 * Every adapter the playground can run, each configured only by env as in a cluster, each
 * pointed at the display. Receivers get the fixed ports after the display's (base+1..base+3).
 */
export function adapterSpecs(
  settings: PlaygroundSettings,
  secrets: Secrets,
  sqs: SqsQueue | undefined,
  /** The built-in Kubernetes API test server's kubeconfig, used when KUBECONFIG is unset. */
  embeddedKubeconfig?: string,
): AdapterSpec[] {
  const kubeconfig = settings.kubeconfig ?? embeddedKubeconfig;
  const at = (offset: number) => (settings.portBase === 0 ? 0 : settings.portBase + offset);
  return [
    {
      name: 'heartbeat',
      summary: `sends a heartbeat every ${HEARTBEAT_PERIOD.replace('s', ' s')}`,
      preferredPort: 0,
      env: {
        POD_NAME: 'playground',
        POD_NAMESPACE: 'tributary',
        HEARTBEAT_PERIOD,
        HEARTBEAT_LABEL: 'playground',
      },
    },
    {
      name: 'ping',
      summary: `sends a ping every 10 s (PING_SCHEDULE "${PING_SCHEDULE}")`,
      preferredPort: 0,
      env: {
        NAMESPACE: 'tributary',
        NAME: 'playground',
        PING_SCHEDULE,
        PING_DATA: '{"message":"Hello from the Tributary playground"}',
        PING_CONTENT_TYPE: 'application/json',
      },
    },
    {
      name: 'github',
      summary: 'GitHub webhook receiver',
      preferredPort: at(1),
      env: { GITHUB_SECRET_TOKEN: secrets.github, GITHUB_OWNER_REPO: GITHUB_PUSH.repository.full_name },
      webhook: { label: 'GitHub', header: 'secret (X-Hub-Signature-256)', secret: secrets.github },
    },
    {
      name: 'gitlab',
      summary: 'GitLab webhook receiver',
      preferredPort: at(2),
      env: { GITLAB_SECRET_TOKEN: secrets.gitlab, GITLAB_EVENT_SOURCE: GITLAB_MERGE_REQUEST.project.web_url },
      webhook: { label: 'GitLab', header: 'token (X-Gitlab-Token)', secret: secrets.gitlab },
    },
    {
      name: 'eventbridge',
      summary: 'EventBridge / OSS push receiver',
      preferredPort: at(3),
      env: { EVENTBRIDGE_TOKEN: secrets.eventbridge },
      webhook: {
        label: 'EventBridge',
        header: 'token (x-eventbridge-signature-token)',
        secret: secrets.eventbridge,
      },
    },
    {
      name: 'sqs',
      summary: 'polls the embedded SQS queue',
      preferredPort: 0,
      cannotRun: sqs === undefined ? 'the SQS emulator did not start' : undefined,
      env: {
        SQS_QUEUE_URL: sqs?.queueUrl ?? '',
        AWS_ENDPOINT_URL: sqs?.endpoint ?? '',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'playground',
        AWS_SECRET_ACCESS_KEY: 'playground',
        SQS_WAIT_TIME_SECONDS: '5',
      },
    },
    {
      name: 'apiserver',
      summary:
        settings.kubeconfig === undefined
          ? `watches pods in namespace ${settings.kubeNamespace} of the built-in Kubernetes API test server`
          : `watches pods in namespace ${settings.kubeNamespace}`,
      preferredPort: 0,
      cannotRun:
        settings.kubeconfigProblem ??
        (kubeconfig === undefined ? 'the built-in Kubernetes API test server did not start' : undefined),
      inheritEnv: true,
      readinessOptional: true,
      env: {
        KUBECONFIG: kubeconfig ?? '',
        NAMESPACE: settings.kubeNamespace,
        NAME: 'playground',
        K_SOURCE_CONFIG: JSON.stringify({
          namespaces: [settings.kubeNamespace],
          resources: [{ apiVersion: 'v1', kind: 'Pod' }],
          mode: 'Reference',
        }),
      },
    },
  ];
}
