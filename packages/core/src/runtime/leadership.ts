/**
 * Leader election as core sees it: something that decides when this replica may run a singleton
 * adapter (ping, heartbeat, apiserver). The Kubernetes Lease implementation lives in
 * `@tributary/kube`; core only runs the adapter inside each leader term.
 */
export interface Leadership {
  /**
   * Calls `lead` each time this replica becomes leader. The term's signal aborts when leadership is
   * lost (before another replica can acquire it) or when `shutdown` aborts. Resolves after `shutdown`
   * aborted and the lease was released, or after `lead` returned on its own.
   */
  run(lead: (term: LeaderTerm) => Promise<void>, shutdown: AbortSignal): Promise<void>;
  /** Whether this replica leads right now (for metrics and readiness reasons). */
  readonly isLeader: boolean;
}

export interface LeaderTerm {
  readonly signal: AbortSignal;
  /** What the previous leader left: `graceful` when it released the lease rather than expiring. */
  readonly previous: { readonly graceful: boolean; readonly note: string | undefined };
  /** A short note handed to the next leader when this term ends gracefully (e.g. the last tick fired). */
  setHandoverNote(note: string): void;
}
