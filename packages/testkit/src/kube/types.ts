/** Owner reference as stored in `metadata.ownerReferences`. */
export interface KubeOwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/**
 * The subset of `metadata` the test server reads. Deliberately structural so that
 * the model classes of `@kubernetes/client-node` (V1Pod, V1Lease, ...) are assignable.
 */
export interface KubeObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: { [key: string]: string };
  annotations?: { [key: string]: string };
  ownerReferences?: KubeOwnerReference[];
  finalizers?: string[];
}

/** Any Kubernetes object. Extra fields (spec, status, data, ...) are kept as given. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeObjectMeta;
}

/** A `Status` object as returned by the API server for errors (and some deletes). */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string };
  code: number;
}

/** Watch event types sent on the wire. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** Internal mutable view of an object (JSON data). */
export type JsonObject = { [key: string]: unknown };

/** Typed view of stored objects: metadata is always filled in by the store. */
export interface StoredObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject & {
    name: string;
    namespace?: string;
    uid: string;
    resourceVersion: string;
    generation: number;
    creationTimestamp: string;
    labels?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
  };
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** The `reason` the real API server uses for an HTTP status code. */
export function reasonFor(code: number): string {
  return REASONS[code] ?? (code >= 500 ? 'InternalError' : 'Unknown');
}

/** Builds a failure `Status`. */
export function failureStatus(
  code: number,
  message: string,
  reason: string = reasonFor(code),
  details?: KubeStatus['details'],
): KubeStatus {
  const status: KubeStatus = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) status.details = details;
  return status;
}

/** An API error carrying the `Status` the server answers with. */
export class KubeApiError extends Error {
  readonly status: KubeStatus;
  readonly code: number;

  constructor(code: number, message: string, reason?: string, details?: KubeStatus['details']) {
    super(message);
    this.name = 'KubeApiError';
    this.code = code;
    this.status = failureStatus(code, message, reason, details);
  }
}
