import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { dirname, isAbsolute, join } from 'node:path';
import { Agent } from 'undici';
import { parse } from 'yaml';
import type { KubeAccess } from './kube-access.ts';

/**
 * What core needs to call the API server: where, over which TLS, with which credentials. Core
 * makes a handful of requests (OIDC TokenRequests), so it speaks HTTP through undici rather than
 * pull @kubernetes/client-node into every bundle; this module is loaded only when a token is needed.
 */
export interface ApiConnection {
  readonly server: URL;
  readonly dispatcher: Agent;
  /** The `Authorization` header, read on every call (in-cluster tokens rotate in place); undefined: none (client certificates). */
  readonly authorization: () => string | undefined;
  /** The namespace the credentials belong to: the pod's, or the kubeconfig context's. */
  readonly namespace: string | undefined;
}

/**
 * In cluster as client-go's `rest.InClusterConfig`: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`,
 * the service account's CA and token. From a kubeconfig: the current (or named) context's cluster and
 * user with `token`, `tokenFile`, client certificates or basic auth; `exec` and `auth-provider`
 * plugins are not run (the message says so). Throws with a message naming what is wrong.
 */
export function connectToApiServer(access: KubeAccess): ApiConnection {
  if (access.kind === 'in-cluster') {
    const host = isIPv6(access.host) ? `[${access.host}]` : access.host;
    const tokenFile = join(access.serviceAccountDir, 'token');
    return {
      server: new URL(`https://${host}:${access.port}`),
      dispatcher: new Agent({ connect: { ca: readFileSync(join(access.serviceAccountDir, 'ca.crt'), 'utf8') } }),
      authorization: () => `Bearer ${readFileSync(tokenFile, 'utf8').trim()}`,
      namespace: readOptional(join(access.serviceAccountDir, 'namespace')),
    };
  }
  return fromKubeconfig(access.path, access.context);
}

interface Named<T> {
  readonly name?: string;
  readonly cluster?: T;
  readonly user?: T;
  readonly context?: T;
}
type Fields = Readonly<Record<string, unknown>>;

function fromKubeconfig(path: string, contextName: string | undefined): ApiConnection {
  const doc = (parse(readFileSync(path, 'utf8')) ?? {}) as Fields;
  const name = contextName ?? str(doc['current-context']);
  if (name === undefined) throw new Error(`${path} has no current-context`);
  const context = pick(doc['contexts'], name, 'context', path);
  const cluster = pick(doc['clusters'], str(context['cluster']) ?? '', 'cluster', path);
  const user = str(context['user']) === undefined ? {} : pick(doc['users'], str(context['user']) ?? '', 'user', path);
  const server = str(cluster['server']);
  if (server === undefined) throw new Error(`${path}: cluster of context ${name} has no server`);
  // client-go resolves relative file references against the kubeconfig's own directory.
  const file = (value: unknown) => {
    const text = str(value);
    return text === undefined ? undefined : readFileSync(isAbsolute(text) ? text : join(dirname(path), text), 'utf8');
  };
  const data = (value: unknown) => (str(value) === undefined ? undefined : Buffer.from(str(value) ?? '', 'base64').toString('utf8'));
  if (user['exec'] !== undefined || user['auth-provider'] !== undefined) {
    throw new Error(`${path}: user of context ${name} uses an exec or auth-provider plugin; give it a token, tokenFile or client certificate`);
  }
  const ca = data(cluster['certificate-authority-data']) ?? file(cluster['certificate-authority']);
  const cert = data(user['client-certificate-data']) ?? file(user['client-certificate']);
  const key = data(user['client-key-data']) ?? file(user['client-key']);
  const insecure = cluster['insecure-skip-tls-verify'] === true;
  const tlsServerName = str(cluster['tls-server-name']);
  const dispatcher = new Agent({
    connect: {
      ...(ca !== undefined ? { ca } : {}),
      ...(cert !== undefined && key !== undefined ? { cert, key } : {}),
      ...(insecure ? { rejectUnauthorized: false } : {}),
      ...(tlsServerName !== undefined ? { servername: tlsServerName } : {}),
    },
  });
  return { server: new URL(server), dispatcher, authorization: userAuthorization(user, path), namespace: str(context['namespace']) };
}

function userAuthorization(user: Fields, path: string): () => string | undefined {
  const token = str(user['token']);
  if (token !== undefined) return () => `Bearer ${token}`;
  const tokenFile = str(user['tokenFile']);
  if (tokenFile !== undefined) {
    const resolved = isAbsolute(tokenFile) ? tokenFile : join(dirname(path), tokenFile);
    return () => `Bearer ${readFileSync(resolved, 'utf8').trim()}`;
  }
  const username = str(user['username']);
  if (username !== undefined) {
    const basic = Buffer.from(`${username}:${str(user['password']) ?? ''}`).toString('base64');
    return () => `Basic ${basic}`;
  }
  return () => undefined;
}

function pick(list: unknown, name: string, kind: 'cluster' | 'user' | 'context', path: string): Fields {
  const entries = Array.isArray(list) ? (list as Array<Named<Fields>>) : [];
  const entry = entries.find((candidate) => candidate.name === name);
  const fields = entry?.[kind];
  if (fields === undefined) throw new Error(`${path} has no ${kind} named ${JSON.stringify(name)}`);
  return fields;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
