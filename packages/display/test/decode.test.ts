import { describe, expect, it } from 'vitest';
import { HttpError } from '@tributary/core';
import { decodeRequest } from '../src/decode/request.ts';

const binaryHeaders = { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': '/s', 'ce-type': 't' };

function refusal(run: () => unknown): HttpError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

describe('decodeRequest', () => {
  it('percent-decodes binary header values as UTF-8 and keeps malformed escapes as sent', () => {
    const [event] = decodeRequest(
      { ...binaryHeaders, 'ce-subject': '%E2%82%AC%20100%', 'ce-label': '%zz' },
      Buffer.alloc(0),
    );
    expect(event?.attributes).toMatchObject({ subject: '€ 100%', label: '%zz' });
    expect(event?.data).toBeUndefined();
  });

  it('treats Content-Type as datacontenttype in binary mode and refuses ce-datacontenttype', () => {
    const [event] = decodeRequest(
      { ...binaryHeaders, 'content-type': 'application/json; charset=utf-8' },
      Buffer.from('[1,2]'),
    );
    expect(event?.attributes['datacontenttype']).toBe('application/json; charset=utf-8');
    expect(event?.data).toEqual({ kind: 'json', value: [1, 2] });
    expect(
      refusal(() => decodeRequest({ ...binaryHeaders, 'ce-datacontenttype': 'x' }, Buffer.alloc(0))).status,
    ).toBe(400);
  });

  it('warns when JSON-typed data is not JSON, and shows it as text', () => {
    const [event] = decodeRequest(
      { ...binaryHeaders, 'content-type': 'application/json' },
      Buffer.from('{oops'),
    );
    expect(event?.data).toEqual({ kind: 'text', value: '{oops' });
    expect(event?.warnings).toEqual(['datacontenttype is application/json but the data is not valid JSON']);
  });

  it('reads structured data as JSON when datacontenttype is absent or JSON, as text otherwise', () => {
    const structured = (body: object) =>
      decodeRequest(
        { 'content-type': 'application/cloudevents+json; charset=utf-8' },
        Buffer.from(JSON.stringify(body)),
      )[0];
    const envelope = { specversion: '1.0', id: '1', source: '/s', type: 't' };
    expect(structured({ ...envelope, data: 'plain' })?.data).toEqual({ kind: 'json', value: 'plain' });
    expect(structured({ ...envelope, datacontenttype: 'text/plain', data: 'plain' })?.data).toEqual({
      kind: 'text',
      value: 'plain',
    });
    expect(structured({ ...envelope, subject: null })?.attributes).not.toHaveProperty('subject');
  });

  it('refuses data and data_base64 together, and data_base64 that is not base64', () => {
    const envelope = { specversion: '1.0', id: '1', source: '/s', type: 't' };
    const structured = (body: object) => () =>
      decodeRequest({ 'content-type': 'application/cloudevents+json' }, Buffer.from(JSON.stringify(body)));
    expect(refusal(structured({ ...envelope, data: 1, data_base64: 'AA==' })).message).toBe(
      'data and data_base64 are both set',
    );
    expect(refusal(structured({ ...envelope, data_base64: 'not base64!' })).message).toBe(
      'data_base64 is not base64',
    );
  });

  it('refuses empty required attributes and non-string core attributes', () => {
    const structured = (body: object) => () =>
      decodeRequest({ 'content-type': 'application/cloudevents+json' }, Buffer.from(JSON.stringify(body)));
    expect(refusal(structured({ specversion: '1.0', id: '', source: '/s', type: 't' })).message).toBe(
      '"id" must be a non-empty string',
    );
    expect(
      refusal(structured({ specversion: '1.0', id: '1', source: '/s', type: 't', time: 5 })).message,
    ).toBe('"time" must be a string');
  });

  it('accepts an empty batch', () => {
    expect(
      decodeRequest({ 'content-type': 'application/cloudevents-batch+json' }, Buffer.from('[]')),
    ).toEqual([]);
  });
});
