import type { KubeApiServer, KubeObject, ReceivedEvent, RecordingSink } from '@tributary/testkit';

/**
 * One upstream controller's receive adapter, transcribed: the container spec the controller
 * generates at a named release tag (env, args, ports, probes, mounted files, service account),
 * what happens upstream, and the CloudEvents the Go adapter sends for it.
 */
export interface ControllerFixture {
  /** Shown in the test names: `ApiServerSource (knative-v1.22.2)`. */
  readonly name: string;
  /** Where the container spec was read: repository, file and release tag. */
  readonly upstream: { readonly repository: string; readonly path: string; readonly tag: string };
  /** The package whose bundle (`packages/<adapter>/dist/main.js`) and image play the receive adapter. */
  readonly adapter: string;
  /** The pod around the container: `fieldRef` values come from here. */
  readonly pod: { readonly namespace: string; readonly name: string; readonly serviceAccountName: string };
  readonly container: Container;
  /** Files of the pod's volumes, by volume name (as `container.volumeMounts` names them). */
  readonly volumes?: Readonly<Record<string, Readonly<Record<string, Value>>>>;
  /** Secrets `secretKeyRef` reads, by name then key. */
  readonly secrets?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Objects in the Kubernetes API before the adapter starts (service accounts, watched objects). */
  readonly objects?: (world: World) => readonly KubeObject[];
  /**
   * OIDC: every delivery must carry a token the API server issued for this audience and service
   * account (`namespace/name`); the sink answers 401 otherwise.
   */
  readonly oidc?: { readonly audience: string; readonly serviceAccount: string };
  /**
   * The container port (number or name) where the Go adapter serves Prometheus under this spec;
   * `GET /metrics` there must answer 200.
   */
  readonly metricsPort?: number | string;
  /**
   * Runs once the adapter is ready (its probes answer): makes things happen upstream and returns
   * the events the Go adapter sends for them, in order. Use vitest's `expect.any(String)` for
   * generated values (ids, times).
   */
  readonly scenario: (world: World) => Promise<readonly ExpectedEvent[]>;
  /**
   * The same container with some env changed (a malformed Knative config variable): run against
   * the bundle; each must still become ready and deliver, and log a warning naming the variable.
   */
  readonly variants?: readonly Variant[];
}

/** A literal, or computed from the test world (the sink URL, the API server port). */
export type Value = string | ((world: World) => string);

export type EnvVar =
  | { readonly name: string; readonly value: Value }
  | { readonly name: string; readonly valueFrom: { readonly fieldRef: { readonly fieldPath: string } } }
  | {
      readonly name: string;
      readonly valueFrom: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
    };

export interface HttpGetProbe {
  /** As in the spec; kubelet probes `/` + path when it has no leading slash, `/` when empty. */
  readonly path?: string;
  /** A container port number or name. */
  readonly port: number | string;
}

export interface Container {
  readonly env: readonly EnvVar[];
  readonly args?: readonly string[];
  readonly ports: ReadonlyArray<{ readonly name: string; readonly containerPort: number }>;
  readonly readinessProbe?: HttpGetProbe;
  readonly livenessProbe?: HttpGetProbe;
  readonly volumeMounts?: ReadonlyArray<{ readonly name: string; readonly mountPath: string }>;
}

export interface ExpectedEvent {
  /** Every context attribute and extension, exactly (header names without `ce-`). */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** `data`, parsed when JSON. */
  readonly data?: unknown;
}

export interface Variant {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  /** The variable the warning log line names. */
  readonly warns: string;
}

/** What a fixture's scenario works with. */
export interface World {
  readonly sink: RecordingSink;
  readonly kube: KubeApiServer;
  /** `https://127.0.0.1:<port>`: the API server as the pod's in-cluster config reaches it. */
  readonly kubeUrl: string;
  /** Events received so far. */
  readonly received: () => readonly ReceivedEvent[];
}
