import { isJsonMediaType, type Extensions } from '@tributary/core';
import { parseSchedule, type PingSchedule, type ScheduleCache } from './schedule.ts';

/** One PingSource as written: from env (single source) or from an entry of the sources file. */
export interface PingSourceInput {
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  readonly schedule?: string | undefined;
  readonly timezone?: string | undefined;
  readonly data?: string | undefined;
  readonly dataBase64?: string | undefined;
  readonly contentType?: string | undefined;
  readonly sink?: URL | undefined;
  readonly ceOverrides?: Extensions | undefined;
  /** PEM trusted for the sink beside K_CA_CERTS (a PingSource's `status.sinkCACerts`). */
  readonly caCerts?: string | undefined;
  /** OIDC for the sink (a PingSource's `status.sinkAudience` and `status.auth.serviceAccountName`). */
  readonly oidc?: PingSourceOidc | undefined;
}

/** A token for `serviceAccount` (in the source's namespace) with this audience, from the TokenRequest API. */
export interface PingSourceOidc {
  readonly audience: string;
  readonly serviceAccount: string;
}

/** A PingSource that passed every check, ready to schedule. */
export interface PingSource {
  /** `<namespace>/<name>`: unique within one process. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly schedule: PingSchedule;
  /** `data` as given (text), or `dataBase64` decoded (bytes). */
  readonly data: string | Uint8Array | undefined;
  readonly contentType: string | undefined;
  /** Undefined: K_SINK. */
  readonly sink: URL | undefined;
  /** Applied over K_CE_OVERRIDES. */
  readonly ceOverrides: Extensions | undefined;
  readonly caCerts: string | undefined;
  readonly oidc: PingSourceOidc | undefined;
  /** Equal for two definitions that emit the same events, on the same schedule, to the same target. */
  readonly fingerprint: string;
}

export type PingSourceField = keyof PingSourceInput;

export interface SourceProblem {
  readonly field: PingSourceField;
  readonly message: string;
}

export type SourceResult =
  | { readonly ok: true; readonly source: PingSource }
  | { readonly ok: false; readonly problems: readonly SourceProblem[] };

/** Knative's PingSource default (`ping_defaults.go`). */
export const DEFAULT_SCHEDULE = '* * * * *';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}\\s*(;.*)?$`);

/** Checks a PingSource as Knative's `ping_validation.go` does, and a little more; collects every problem. */
export function buildPingSource(input: PingSourceInput, cache?: ScheduleCache): SourceResult {
  const problems: SourceProblem[] = [];
  const problem = (field: PingSourceField, message: string) => problems.push({ field, message });

  const namespace = input.namespace ?? '';
  const name = input.name ?? '';
  if (namespace === '') problem('namespace', 'is required');
  else if (namespace.length > 63 || !DNS_LABEL.test(namespace)) problem('namespace', `${JSON.stringify(namespace)} is not a Kubernetes namespace name (DNS-1123 label)`);
  if (name === '') problem('name', 'is required');
  else if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) problem('name', `${JSON.stringify(name)} is not a Kubernetes object name (DNS-1123 subdomain)`);

  const parsed = parseSchedule(input.schedule ?? DEFAULT_SCHEDULE, input.timezone, cache);
  if (!parsed.ok) for (const { field, message } of parsed.problems) problem(field, message);

  const contentType = input.contentType;
  if (contentType !== undefined && !MEDIA_TYPE.test(contentType)) {
    problem('contentType', `${JSON.stringify(contentType)} is not a media type like application/json`);
  }
  if (input.caCerts !== undefined && !input.caCerts.includes('-----BEGIN CERTIFICATE-----')) {
    problem('caCerts', 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  const data = readData(input, problem);
  if (data !== undefined && isJsonMediaType(contentType)) {
    const field = input.dataBase64 !== undefined ? 'dataBase64' : 'data';
    const reason = notAJsonObject(data);
    if (reason !== undefined) problem(field, `must be a JSON object because the content type is ${contentType}: ${reason}`);
  }

  if (problems.length > 0 || !parsed.ok) return { ok: false, problems };
  return {
    ok: true,
    source: {
      key: `${namespace}/${name}`,
      namespace,
      name,
      schedule: parsed.schedule,
      data,
      contentType,
      sink: input.sink,
      ceOverrides: input.ceOverrides,
      caCerts: input.caCerts,
      oidc: input.oidc,
      fingerprint: JSON.stringify([
        namespace,
        name,
        parsed.schedule.timezone,
        parsed.schedule.expression,
        input.dataBase64 !== undefined ? `base64:${input.dataBase64}` : `text:${input.data ?? ''}`,
        contentType ?? '',
        input.sink?.href ?? '',
        input.ceOverrides ?? {},
        input.caCerts ?? '',
        input.oidc ?? {},
      ]),
    },
  };
}

function readData(input: PingSourceInput, problem: (field: PingSourceField, message: string) => void): string | Uint8Array | undefined {
  if (input.data !== undefined && input.dataBase64 !== undefined) {
    problem('dataBase64', 'data and dataBase64 are mutually exclusive; set one of them');
    return undefined;
  }
  if (input.dataBase64 === undefined) return input.data;
  const bytes = decodeBase64(input.dataBase64);
  if (bytes === undefined) problem('dataBase64', 'is not valid base64 (standard alphabet, padded)');
  return bytes;
}

/** Go's `base64.StdEncoding`: standard alphabet, padding required, CR and LF ignored. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Uint8Array.from(Buffer.from(compact, 'base64'));
}

/** Knative unmarshals JSON data into a `map[string]...`: anything but an object is refused. */
function notAJsonObject(data: string | Uint8Array): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(typeof data === 'string' ? data : new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return undefined;
  return `got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`;
}
