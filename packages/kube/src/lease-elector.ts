import { setTimeout as sleep } from 'node:timers/promises';
import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import type { Leadership, LeaderTerm, Logger } from '@tributary/core';
import type { LeaderElectionConfig } from './leader-election-config.ts';

/** Annotation carrying the outgoing leader's note to the next one (ping: the last tick it fired). */
export const HANDOVER_ANNOTATION = 'tributary.dev/handover';

type Attempt = { readonly ok: true; readonly previous: LeaderTerm['previous'] } | { readonly ok: false; readonly holder: string };

/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's semantics: a lease is taken
 * over only when its record has not changed for a whole lease duration, measured on our own clock
 * (no trust in other nodes' clocks); the leader renews every retry period and steps down as soon as
 * it has not renewed for `renewDeadline`, which is shorter than the lease duration, so it stops before
 * anyone else may start. A graceful stop releases the lease (empty holder) so a follower takes over
 * at its next retry instead of waiting for expiry. Updates use the Lease's resourceVersion, so two
 * replicas racing for it cannot both win (409 for the loser).
 */
export class LeaseElector implements Leadership {
  readonly #config: LeaderElectionConfig;
  readonly #api: CoordinationV1Api;
  readonly #logger: Logger | undefined;
  #leader = false;
  #observed: { key: string; at: number } | undefined;

  constructor(config: LeaderElectionConfig, kube: KubeConfig, logger?: Logger) {
    this.#config = config;
    this.#api = kube.makeApiClient(CoordinationV1Api);
    this.#logger = logger?.child({ lease: `${config.leaseNamespace}/${config.leaseName}`, identity: config.identity });
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  async run(lead: (term: LeaderTerm) => Promise<void>, shutdown: AbortSignal): Promise<void> {
    while (!shutdown.aborted) {
      const previous = await this.#acquire(shutdown);
      if (previous === undefined) return;
      this.#leader = true;
      const term = new AbortController();
      let note: string | undefined;
      let finished = false;
      const leading = lead({ signal: term.signal, previous, setHandoverNote: (value) => (note = value) })
        .catch((error: unknown) => this.#logger?.error({ err: error }, 'leader term failed'))
        .finally(() => (finished = true));
      const outcome = await this.#holdWhile(shutdown, () => finished);
      term.abort();
      await leading;
      this.#leader = false;
      if (outcome !== 'lost') {
        await this.#release(note);
        return;
      }
      this.#logger?.warn('lost the lease: stopped leading');
    }
  }

  /** Tries every retry period until this replica holds the lease; undefined when shut down first. */
  async #acquire(shutdown: AbortSignal): Promise<LeaderTerm['previous'] | undefined> {
    while (!shutdown.aborted) {
      const attempt = await this.#tryAcquireOrRenew().catch((error: unknown) => {
        this.#logger?.warn({ err: error }, 'lease not reachable');
        return undefined;
      });
      if (attempt?.ok) return attempt.previous;
      await sleep(this.#jittered(), undefined, { signal: shutdown }).catch(() => {});
    }
    return undefined;
  }

  /** Renews until shutdown, the term ending on its own, or the lease being lost. */
  async #holdWhile(shutdown: AbortSignal, finished: () => boolean): Promise<'lost' | 'shutdown' | 'finished'> {
    const { renewDeadlineMs, retryPeriodMs } = this.#config;
    let renewedAt = Date.now();
    for (;;) {
      const wait = Math.min(retryPeriodMs, Math.max(0, renewedAt + renewDeadlineMs - Date.now()));
      await sleep(wait, undefined, { signal: shutdown }).catch(() => {});
      if (shutdown.aborted) return 'shutdown';
      if (finished()) return 'finished';
      const remaining = renewedAt + renewDeadlineMs - Date.now();
      const attempt = await withTimeout(this.#tryAcquireOrRenew(), remaining).catch(() => undefined);
      if (attempt?.ok) renewedAt = Date.now();
      else if (attempt && !attempt.ok && attempt.holder !== '' && attempt.holder !== this.#config.identity) return 'lost';
      if (Date.now() - renewedAt >= renewDeadlineMs) return 'lost';
    }
  }

  async #tryAcquireOrRenew(): Promise<Attempt> {
    const { leaseName: name, leaseNamespace: namespace, identity } = this.#config;
    const durationSeconds = Math.ceil(this.#config.leaseDurationMs / 1000);
    let lease: V1Lease;
    try {
      lease = await this.#api.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      const now = new V1MicroTime();
      const spec = { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 };
      try {
        await this.#api.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec } });
      } catch (createError) {
        if (statusOf(createError) === 409) return { ok: false, holder: '' };
        throw createError;
      }
      return { ok: true, previous: { graceful: false, note: undefined } };
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const now = Date.now();
    const key = `${holder}|${String(spec.renewTime)}|${lease.metadata?.resourceVersion}`;
    if (this.#observed?.key !== key) this.#observed = { key, at: now };
    const mine = holder === identity;
    const validMs = (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (!mine && holder !== '' && this.#observed.at + validMs > now) return { ok: false, holder };

    const annotations = { ...lease.metadata?.annotations };
    const previous = { graceful: !mine && holder === '', note: holder === '' ? annotations[HANDOVER_ANNOTATION] : undefined };
    if (!mine) delete annotations[HANDOVER_ANNOTATION];
    const body: V1Lease = {
      ...lease,
      metadata: { ...lease.metadata, annotations },
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: mine ? spec.acquireTime : new V1MicroTime(),
        renewTime: new V1MicroTime(),
        leaseTransitions: mine ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
      },
    };
    try {
      const updated = await this.#api.replaceNamespacedLease({ name, namespace, body });
      this.#observed = { key: `${identity}|${String(updated.spec?.renewTime)}|${updated.metadata?.resourceVersion}`, at: Date.now() };
    } catch (error) {
      if (statusOf(error) === 409) return { ok: false, holder };
      throw error;
    }
    return { ok: true, previous };
  }

  /** client-go's release: empty holder, 1 s duration, plus our handover note. */
  async #release(note: string | undefined): Promise<void> {
    const { leaseName: name, leaseNamespace: namespace, identity } = this.#config;
    try {
      const lease = await this.#api.readNamespacedLease({ name, namespace });
      if (lease.spec?.holderIdentity !== identity) return;
      const annotations = { ...lease.metadata?.annotations };
      if (note === undefined) delete annotations[HANDOVER_ANNOTATION];
      else annotations[HANDOVER_ANNOTATION] = note;
      const now = new V1MicroTime();
      await this.#api.replaceNamespacedLease({
        name,
        namespace,
        body: {
          ...lease,
          metadata: { ...lease.metadata, annotations },
          spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now },
        },
      });
      this.#logger?.info({ note }, 'released the lease');
    } catch (error) {
      this.#logger?.warn({ err: error }, 'could not release the lease; it will expire');
    }
  }

  #jittered(): number {
    return this.#config.retryPeriodMs * (1 + Math.random() * 0.2);
  }
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error('lease request timed out')), Math.max(0, ms));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
