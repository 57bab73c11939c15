import { z } from 'zod';
import type { CloudEvent } from '@tributary/core';

/**
 * The experimental `spec.filters` of ApiServerSource (CloudEvents Subscriptions API dialects),
 * which Knative evaluates in the adapter before sending (`pkg/eventfilter/subscriptionsapi`).
 * `exact`, `prefix`, `suffix`, `all`, `any` and `not` are supported; `cesql` is refused at start
 * rather than silently ignored.
 */
export interface SubscriptionsApiFilter {
  readonly all?: readonly SubscriptionsApiFilter[] | undefined;
  readonly any?: readonly SubscriptionsApiFilter[] | undefined;
  readonly not?: SubscriptionsApiFilter | undefined;
  readonly exact?: Readonly<Record<string, string>> | undefined;
  readonly prefix?: Readonly<Record<string, string>> | undefined;
  readonly suffix?: Readonly<Record<string, string>> | undefined;
}

export const FILTER_SCHEMA: z.ZodType<SubscriptionsApiFilter> = z.lazy(() =>
  z
    .object({
      all: z.array(FILTER_SCHEMA).optional(),
      any: z.array(FILTER_SCHEMA).optional(),
      not: FILTER_SCHEMA.optional(),
      exact: z.record(z.string(), z.string()).optional(),
      prefix: z.record(z.string(), z.string()).optional(),
      suffix: z.record(z.string(), z.string()).optional(),
      cesql: z.string().optional(),
    })
    .superRefine((filter, ctx) => {
      if (filter.cesql !== undefined && filter.cesql !== '') {
        ctx.addIssue({
          code: 'custom',
          message: 'cesql filters are not supported (use a Trigger filter)',
          path: ['cesql'],
        });
      }
    }),
);

type Result = 'pass' | 'fail' | 'none';

/** True when the event may be sent: Knative drops an event only on an explicit filter failure. */
export function passesFilters(filters: readonly SubscriptionsApiFilter[], event: CloudEvent): boolean {
  return allOf(filters, event) !== 'fail';
}

function evaluate(filter: SubscriptionsApiFilter, event: CloudEvent): Result {
  // Like Knative, the first dialect set in a filter object is the one evaluated.
  if (filter.exact && Object.keys(filter.exact).length > 0)
    return match(filter.exact, event, (a, b) => a === b);
  if (filter.prefix && Object.keys(filter.prefix).length > 0)
    return match(filter.prefix, event, (a, b) => a.startsWith(b));
  if (filter.suffix && Object.keys(filter.suffix).length > 0)
    return match(filter.suffix, event, (a, b) => a.endsWith(b));
  if (filter.all && filter.all.length > 0) return allOf(filter.all, event);
  if (filter.any && filter.any.length > 0) return anyOf(filter.any, event);
  if (filter.not) {
    const inner = evaluate(filter.not, event);
    return inner === 'pass' ? 'fail' : inner === 'fail' ? 'pass' : 'none';
  }
  return 'none';
}

function allOf(filters: readonly SubscriptionsApiFilter[], event: CloudEvent): Result {
  let result: Result = 'none';
  for (const filter of filters) {
    const outcome = evaluate(filter, event);
    if (outcome === 'fail') return 'fail';
    if (outcome === 'pass') result = 'pass';
  }
  return result;
}

function anyOf(filters: readonly SubscriptionsApiFilter[], event: CloudEvent): Result {
  let result: Result = 'none';
  for (const filter of filters) {
    const outcome = evaluate(filter, event);
    if (outcome === 'pass') return 'pass';
    if (outcome === 'fail') result = 'fail';
  }
  return result;
}

function match(
  expected: Readonly<Record<string, string>>,
  event: CloudEvent,
  test: (actual: string, wanted: string) => boolean,
): Result {
  for (const [attribute, wanted] of Object.entries(expected)) {
    const actual = attributeValue(event, attribute);
    if (actual === undefined || !test(actual, wanted)) return 'fail';
  }
  return 'pass';
}

function attributeValue(event: CloudEvent, name: string): string | undefined {
  switch (name) {
    case 'specversion':
      return '1.0';
    case 'id':
    case 'source':
    case 'type':
    case 'subject':
    case 'time':
    case 'datacontenttype':
    case 'dataschema':
      return event[name];
    default: {
      const value = event.extensions?.[name];
      return value === undefined ? undefined : String(value);
    }
  }
}
