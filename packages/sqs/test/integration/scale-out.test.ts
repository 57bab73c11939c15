import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  bundlePath,
  startProcess,
  startRecordingSink,
  waitFor,
  type AdapterEnv,
  type AdapterProcess,
  type RecordingSink,
  type ReceivedEvent,
} from '@tributary/testkit';
import {
  metric,
  queueCounts,
  sendAll,
  sqsAdapterEnv,
  startQueueWorld,
  waitForEmptyQueue,
  type QueueWorld,
} from './queue-world.ts';

const COUNT = 10_000;
const FIFO_GROUPS = 20;
const FIFO_PER_GROUP = 50;

interface Replica {
  readonly name: string;
  readonly env: AdapterEnv;
  readonly proc: AdapterProcess;
}

/** Each event names the replica that sent it, through K_CE_OVERRIDES, so the sink can tell them apart. */
function replicaOf(event: ReceivedEvent): string {
  return String(event.attributes['replica']);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

// Replicas share nothing but the queue: SQS hides a received message from every other receiver
// until it is deleted or its visibility timeout runs out, and hands a FIFO group to one receiver
// at a time. No lease, leader or shared store is needed between them.
describe('two sqs adapter processes on one queue', () => {
  let world: QueueWorld;
  let sink: RecordingSink;
  let replicas: Replica[] = [];

  async function startReplicas(queueUrl: string): Promise<Replica[]> {
    replicas = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const env = await sqsAdapterEnv(world, sink.url, {
          SQS_QUEUE_URL: queueUrl,
          K_CE_OVERRIDES: JSON.stringify({ extensions: { replica: name } }),
          LOG_LEVEL: 'warn',
        });
        return { name, env, proc: startProcess(bundlePath('sqs'), env) };
      }),
    );
    await Promise.all(replicas.map(({ env, proc }) => proc.waitForReady(Number(env.PORT), 20_000)));
    return replicas;
  }

  beforeAll(async () => {
    world = await startQueueWorld();
  });

  afterEach(async () => {
    await Promise.all(replicas.map(({ proc }) => proc.stop()));
    await sink.close();
    replicas = [];
  });

  afterAll(async () => {
    await world.close();
  });

  it(`drain ${COUNT} messages between them: every one delivered at least once, by both, queue empty`, async () => {
    sink = await startRecordingSink();
    const { queueUrl } = world.server.createQueue('shared');
    const ids = await sendAll(
      world.sqs,
      queueUrl,
      Array.from({ length: COUNT }, (_, n) => ({ MessageBody: JSON.stringify({ n }) })),
    );
    expect(new Set(ids).size).toBe(COUNT);

    const [a, b] = await startReplicas(queueUrl);
    const distinctIds = () => new Set(sink.events.map((event) => event.attributes['id'] as string));
    await waitFor(() => distinctIds().size === COUNT, {
      timeoutMs: 60_000,
      what: `${COUNT} distinct ids at the sink`,
    });
    await waitForEmptyQueue(world.sqs, queueUrl);
    const deleted = async () =>
      (await metric(a!.env, 'tributary_sqs_messages_deleted_total')) +
      (await metric(b!.env, 'tributary_sqs_messages_deleted_total'));
    await waitFor(async () => (await deleted()) >= COUNT, { what: 'both replicas to count their deletes' });

    expect(distinctIds()).toEqual(new Set(ids));
    const perReplica = countBy(sink.events, replicaOf);
    const duplicates = sink.events.length - COUNT;
    console.log(
      `scale-out: ${COUNT} messages, ${sink.events.length} events, ${duplicates} duplicates; ` +
        `replica a ${perReplica.get('a')}, replica b ${perReplica.get('b')}`,
    );
    expect([...perReplica.keys()].sort()).toEqual(['a', 'b']);
    for (const { name, env } of [a!, b!]) {
      expect(perReplica.get(name), `events from replica ${name}`).toBeGreaterThan(0);
      // Each process's own count agrees with what the sink saw from it.
      expect(await metric(env, 'tributary_events_delivered_total')).toBe(perReplica.get(name));
    }
    // Without crashes or expired visibility timeouts nothing goes out twice; at-least-once allows a few.
    expect(duplicates).toBeLessThanOrEqual(COUNT / 100);
    expect(await queueCounts(world.sqs, queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  }, 90_000);

  it(`keep FIFO order within each of ${FIFO_GROUPS} groups while the groups move between them`, async () => {
    sink = await startRecordingSink();
    const { queueUrl } = world.server.createQueue('shared.fifo', {
      attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
    });
    const groups = Array.from({ length: FIFO_GROUPS }, (_, g) => `group-${g}`);
    // Sent one batch at a time: sendAll's parallel batches would interleave a group's sequence.
    const entries = Array.from({ length: FIFO_PER_GROUP }, (_, seq) =>
      groups.map((group) => ({ MessageBody: JSON.stringify({ group, seq }), MessageGroupId: group })),
    ).flat();
    for (let start = 0; start < entries.length; start += 10)
      await sendAll(world.sqs, queueUrl, entries.slice(start, start + 10));

    await startReplicas(queueUrl);
    await sink.waitForEvents(entries.length, 30_000);
    await waitForEmptyQueue(world.sqs, queueUrl);

    const bodies = sink.events.map((event) => ({
      replica: replicaOf(event),
      ...event.json<{ Body: { group: string; seq: number } }>().Body,
    }));
    expect(bodies).toHaveLength(entries.length);
    const servedBy = new Map<string, Set<string>>();
    for (const group of groups) {
      const ofGroup = bodies.filter((body) => body.group === group);
      expect(
        ofGroup.map((body) => body.seq),
        group,
      ).toEqual(Array.from({ length: FIFO_PER_GROUP }, (_, seq) => seq));
      servedBy.set(group, new Set(ofGroup.map((body) => body.replica)));
    }
    const sharedGroups = [...servedBy.values()].filter((replicaSet) => replicaSet.size === 2).length;
    console.log(`scale-out fifo: ${sharedGroups} of ${FIFO_GROUPS} groups delivered partly by each replica`);
    expect(countBy(bodies, (body) => body.replica).size).toBe(2);
    expect(sharedGroups).toBeGreaterThan(0);
  });
});
