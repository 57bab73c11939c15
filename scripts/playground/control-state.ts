import type { Secrets } from './adapters.ts';
import type { ControlState, Sample } from './control.ts';
import type { AdapterState, Fleet } from './fleet.ts';
import { sendGithubPush, sendGitlabMergeRequest, sendOssObjectCreated, sendSqsMessage } from './samples.ts';
import type { EmbeddedKube } from './kube.ts';
import type { EmbeddedSqs } from './sqs.ts';

/** The page's buttons: real deliveries, each through the adapter that receives that kind. */
export function playgroundSamples(
  fleet: Fleet,
  secrets: Secrets,
  sqs: EmbeddedSqs | undefined,
  kube: EmbeddedKube | undefined,
): Sample[] {
  const url = (adapter: string) => `http://127.0.0.1:${fleet.state(adapter)?.port ?? 0}/`;
  return [
    {
      id: 'github-push',
      label: 'GitHub push',
      eventType: 'dev.knative.source.github.push',
      adapter: 'github',
      send: () => sendGithubPush(url('github'), secrets.github),
    },
    {
      id: 'gitlab-merge-request',
      label: 'GitLab merge request',
      eventType: 'dev.knative.sources.gitlab.merge_request',
      adapter: 'gitlab',
      send: () => sendGitlabMergeRequest(url('gitlab'), secrets.gitlab),
    },
    {
      id: 'oss-object-created',
      label: 'OSS object created',
      eventType: 'oss:ObjectCreated:PutObject',
      adapter: 'eventbridge',
      send: () => sendOssObjectCreated(url('eventbridge'), secrets.eventbridge),
    },
    {
      id: 'sqs-message',
      label: 'SQS message',
      eventType: 'com.amazon.sqs.message',
      adapter: 'sqs',
      send: async () => {
        if (sqs === undefined) return { ok: false, message: 'the SQS emulator is not running' };
        return sendSqsMessage(sqs.client, sqs.queueUrl);
      },
    },
    // Only with the built-in API server: the playground does not touch a real cluster.
    ...(kube === undefined
      ? []
      : [
          {
            id: 'kube-pod',
            label: 'Pod created, changed, deleted',
            eventType: 'dev.knative.apiserver.ref.add',
            adapter: 'apiserver',
            send: () => kube.podLifecycle(),
          },
        ]),
  ];
}

function apiServerNote(state: AdapterState | undefined): string {
  if (state === undefined) return 'APIServer: not part of this playground.';
  switch (state.status) {
    case 'running':
      return state.spec.summary.includes('built-in')
        ? `APIServer: ${state.spec.summary}; the pod button creates, changes and deletes a pod there. Set KUBECONFIG and restart to watch your cluster instead.`
        : `APIServer: ${state.spec.summary} of your cluster; create or delete a pod to see its events.`;
    case 'cannot-run':
      return `APIServer: ${state.reason}, so the apiserver adapter is not running. Point KUBECONFIG at a cluster and restart to see pod events.`;
    default:
      return `APIServer: not running: ${state.reason ?? state.status}.`;
  }
}

export function playgroundControlState(fleet: Fleet, samples: readonly Sample[]): ControlState {
  return {
    samples,
    availability(adapter) {
      const state = fleet.state(adapter);
      if (state?.status === 'running') return { available: true };
      return { available: false, reason: `${adapter}: ${state?.reason ?? 'not running'}` };
    },
    notes() {
      const notes: string[] = [];
      for (const state of fleet.states) {
        if (state.spec.name === 'apiserver') continue;
        const onItsOwn = state.spec.webhook === undefined && state.spec.name !== 'sqs';
        if (state.status === 'running' && onItsOwn)
          notes.push(`${state.spec.name}: ${state.spec.summary}, on its own.`);
        else if (state.status !== 'running')
          notes.push(`${state.spec.name}: not running: ${state.reason ?? state.status}.`);
      }
      notes.push(apiServerNote(fleet.state('apiserver')));
      return notes;
    },
  };
}
