import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import {
  BufferBudget,
  createMetrics,
  DeliveryError,
  Env,
  NO_TRACING,
  readRuntimeConfig,
  type AdapterContext,
  type CloudEvent,
  type LeaderTerm,
} from '@tributary/core';
import { startKubeApiServer, waitFor, type KubeApiServer, type KubeObject } from '@tributary/testkit';
import { readApiServerConfig, type ApiServerConfig } from '../../src/config.ts';
import { decodeHandoverNote } from '../../src/handover-note.ts';
import { runApiServerSource } from '../../src/watcher.ts';

// One leader term after another, in-process, against the test API server: what the first term
// delivered is in its note; the second resumes there and sends every later change, once.

const PODS = '/api/v1/namespaces/team-a/pods';
const SOURCE = { namespaces: ['team-a'], resources: [{ apiVersion: 'v1', kind: 'Pod' }], mode: 'Resource' };
const CRASHED = { graceful: false, note: undefined };

interface Term {
  readonly events: CloudEvent[];
  readonly logs: Array<Record<string, unknown>>;
  /** Ends the term (as a graceful stop or a lost lease does) and resolves with its note. */
  stop(): Promise<string | undefined>;
  handovers(outcome: 'resumed' | 'gap'): Promise<number>;
}

let server: KubeApiServer;
let dir: string;
const terms: Term[] = [];

beforeEach(async () => {
  server = await startKubeApiServer({ bookmarkIntervalMs: 100 });
  server.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
  dir = await mkdtemp(join(tmpdir(), 'apiserver-handover-'));
});
afterEach(async () => {
  await Promise.all(terms.splice(0).map((term) => term.stop()));
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function startTerm(
  previous: LeaderTerm['previous'],
  send: (event: CloudEvent) => Promise<void> = async () => {},
): Promise<Term> {
  const env = new Env({
    K_SOURCE_CONFIG: JSON.stringify(SOURCE),
    KUBECONFIG: await server.writeKubeconfig(join(dir, 'kubeconfig')),
    NAMESPACE: 'team-a',
    NAME: 'pods',
    APISERVER_BACKOFF_MAX: '200ms',
  });
  const runtime = readRuntimeConfig(env, { needsSink: false });
  const config = readApiServerConfig(env, runtime);
  env.assertValid();
  const events: CloudEvent[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const metrics = createMetrics({ adapter: 'apiserver' }, false);
  const controller = new AbortController();
  let note: string | undefined;
  let ready = false;
  const ctx = {
    config,
    runtime,
    emit: async (event: CloudEvent) => {
      await send(event);
      events.push(event);
    },
    emitTo: () => async () => {},
    logger,
    metrics,
    tracing: NO_TRACING,
    signal: controller.signal,
    http: undefined as never,
    bufferBudget: new BufferBudget(1 << 20),
    setReady: (value: boolean) => void (ready = value),
    leaderTerm: { signal: controller.signal, previous, setHandoverNote: (value: string) => (note = value) },
  } satisfies AdapterContext<ApiServerConfig>;
  const running = runApiServerSource(ctx);
  const term: Term = {
    events,
    logs,
    async stop() {
      controller.abort();
      await running;
      return note;
    },
    async handovers(outcome) {
      const metric = await metrics.registry
        .getSingleMetric('tributary_apiserver_handover_collections_total')
        ?.get();
      return metric?.values.find((v) => v.labels['outcome'] === outcome)?.value ?? 0;
    },
  };
  terms.push(term);
  await waitFor(() => ready, { what: 'the watch open' });
  return term;
}

const pod = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team-a', labels },
});
/** Resource mode sends the object's JSON text as is. */
const dataOf = (event: CloudEvent | undefined) =>
  (typeof event?.data === 'string' ? JSON.parse(event.data) : event?.data) as KubeObject;
const summary = (events: readonly CloudEvent[]) =>
  events.map((e) => {
    const data = dataOf(e);
    return `${String(e.type).split('.').pop()} ${data.metadata?.name}@${data.metadata?.resourceVersion}`;
  });
const change = (type: string, object: KubeObject) =>
  `${type} ${object.metadata?.name}@${object.metadata?.resourceVersion}`;

describe('graceful handover between leader terms', () => {
  it('resumes at the delivered version: every change in between is sent, none twice', async () => {
    server.create(pod('kept'));
    server.create(pod('updated'));
    server.create(pod('deleted'));
    const first = await startTerm(CRASHED);
    const added = server.create(pod('added'));
    const touched = server.patch('v1', 'Pod', 'team-a', 'updated', { metadata: { labels: { step: '1' } } });
    await waitFor(() => first.events.length === 2, { what: 'two events in the first term' });
    const note = await first.stop();
    expect(summary(first.events)).toEqual([change('add', added), change('update', touched)]);
    expect(decodeHandoverNote(note ?? '')).toEqual(new Map([[PODS, server.resourceVersion]]));
    const handedOver = server.resourceVersion;

    // Between the terms: nobody watches.
    const gap = [
      change(
        'update',
        server.patch('v1', 'Pod', 'team-a', 'updated', { metadata: { labels: { step: '2' } } }),
      ),
      change('delete', server.delete('v1', 'Pod', 'team-a', 'deleted')),
      change('add', server.create(pod('late'))),
      change('update', server.patch('v1', 'Pod', 'team-a', 'late', { metadata: { labels: { step: '1' } } })),
    ];
    // A passing failure of the exact list is retried, not taken for a lost version.
    server.failNext(1, 503, { path: PODS, watch: false });
    const second = await startTerm({ graceful: true, note });
    await waitFor(() => second.events.length === 4, { what: 'the gap replayed' });
    const live = change(
      'update',
      server.patch('v1', 'Pod', 'team-a', 'kept', { metadata: { labels: { step: '1' } } }),
    );
    await waitFor(() => second.events.length === 5, { what: 'a live change' });
    await second.stop();
    expect(summary(second.events)).toEqual([...gap, live]);
    expect(await second.handovers('resumed')).toBe(1);
    expect(await second.handovers('gap')).toBe(0);
    const lists = server.requests.filter((r) => r.path === PODS && !r.watch);
    expect(lists.at(-1)?.query).toMatchObject({ resourceVersion: handedOver, resourceVersionMatch: 'Exact' });
    expect(
      server.requests.find((r) => r.path === PODS && r.watch && r.time >= (lists.at(-1)?.time ?? 0))?.query,
    ).toMatchObject({ resourceVersion: handedOver });
  });

  it('hands over the version delivered, not read: an undelivered event is sent again by the next leader', async () => {
    const first = await startTerm(CRASHED, async (event) => {
      if (dataOf(event).metadata?.name === 'stuck')
        throw new DeliveryError('RETRIES_EXHAUSTED', 'sink down', { status: 503, attempts: 6 });
    });
    const before = server.resourceVersion;
    const stuck = change('add', server.create(pod('stuck')));
    const other = change('add', server.create(pod('other')));
    await waitFor(() => first.events.length === 1, { what: 'the other pod delivered' });
    await waitFor(() =>
      first.logs.some(
        (l) => l['msg'] === 'event not delivered: will try again, later events of this object wait',
      ),
    );
    const note = await first.stop();
    // Held back by the stuck add, though the other pod's (later) add went through.
    expect(decodeHandoverNote(note ?? '').get(PODS)).toBe(before);
    expect(summary(first.events)).toEqual([other]);

    const second = await startTerm({ graceful: true, note });
    await waitFor(() => second.events.length === 2, { what: 'both adds' });
    await second.stop();
    // The documented duplicate: what was delivered after the first undelivered event.
    expect(summary(second.events).sort()).toEqual([other, stuck].sort());
  });

  it('a compacted version: starts from the current state, counts and logs the gap', async () => {
    const first = await startTerm(CRASHED);
    const note = await first.stop();
    server.create(pod('missed'));
    server.compact();
    const second = await startTerm({ graceful: true, note });
    await waitFor(async () => (await second.handovers('gap')) === 1, { what: 'the gap counted' });
    const seen = change('add', server.create(pod('seen')));
    await waitFor(() => second.events.length === 1, { what: 'a live change' });
    await second.stop();
    expect(summary(second.events)).toEqual([seen]);
    expect(second.logs.find((l) => l['code'] === 410)?.['msg']).toMatch(
      /changes made since the previous leader stopped may be missed/,
    );
  });

  it('a watch refused after the exact list: reconciles against that snapshot, so nothing is lost', async () => {
    server.create(pod('updated'));
    server.create(pod('deleted'));
    const first = await startTerm(CRASHED);
    const note = await first.stop();
    const updated = server.patch('v1', 'Pod', 'team-a', 'updated', { metadata: { labels: { step: '1' } } });
    const deleted = server.delete('v1', 'Pod', 'team-a', 'deleted');
    server.create(pod('added'));
    const added = server.patch('v1', 'Pod', 'team-a', 'added', { metadata: { labels: { step: '1' } } });
    server.failNext(1, 410, { path: PODS, watch: true });
    const second = await startTerm({ graceful: true, note });
    await waitFor(() => second.events.length === 3, { what: 'the reconciled changes' });
    await second.stop();
    expect(await second.handovers('resumed')).toBe(1);
    const byName = new Map(second.events.map((e) => [dataOf(e).metadata?.name, e]));
    expect(dataOf(byName.get('updated'))).toEqual(updated);
    expect(dataOf(byName.get('added'))).toEqual(added);
    // The delete found by the relist carries the state at the handed-over version.
    expect(String(byName.get('deleted')?.type)).toBe('dev.knative.apiserver.resource.delete');
    expect(dataOf(byName.get('deleted')).metadata?.uid).toBe(deleted.metadata?.uid);
  });

  it('without a note (first leader, crash): starts from the current state and announces nothing of the past', async () => {
    server.create(pod('existing'));
    const term = await startTerm(CRASHED);
    const seen = change('add', server.create(pod('seen')));
    await waitFor(() => term.events.length === 1);
    await term.stop();
    expect(summary(term.events)).toEqual([seen]);
    expect(term.logs.some((l) => String(l['msg']).startsWith('no handover note'))).toBe(true);
  });
});
