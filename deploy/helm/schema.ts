// JSON schema building blocks for the value declarations (values.ts, common-values.ts, adapters.ts)
// and the rules that span several values.
export type Schema = Record<string, unknown>;

export const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
export const int = (minimum?: number, maximum?: number): Schema => ({
  type: 'integer',
  ...(minimum === undefined ? {} : { minimum }),
  ...(maximum === undefined ? {} : { maximum }),
});
export const bool = (): Schema => ({ type: 'boolean' });
export const oneOf = (...values: string[]): Schema => ({ type: 'string', enum: values });
export const obj = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...extra,
});
/** A free-form map (annotations, labels, resources, affinity: Kubernetes validates those). */
export const anyObject = (): Schema => ({ type: 'object' });
export const stringMap = (): Schema => ({ type: 'object', additionalProperties: { type: 'string' } });

export const kref = (required: string[]): Schema =>
  obj(
    {
      apiVersion: str({ minLength: 1 }),
      kind: str({ minLength: 1 }),
      name: str({ minLength: 1 }),
      namespace: str(),
    },
    { required },
  );

const ABSOLUTE_URI = '^[A-Za-z][A-Za-z0-9+.-]*://';

/** Direct mode has no Knative to resolve a Broker: only an absolute uri or a Kubernetes Service will do. */
export const directModeRule: Schema = {
  description: 'binding.mode=direct needs an absolute sink.uri or a sink.ref of kind Service.',
  if: {
    properties: {
      binding: { properties: { mode: { const: 'direct' } } },
      sink: { not: { required: ['uri'], properties: { uri: { pattern: ABSOLUTE_URI } } } },
    },
  },
  then: { properties: { sink: { properties: { ref: { properties: { kind: { const: 'Service' } } } } } } },
};
