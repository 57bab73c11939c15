import { describe, expect, it } from 'vitest';
import { decodeHeader } from '@tributary/testkit';
import { createEncoder, percentDecodeHeaderValue, percentEncodeHeaderValue, type CloudEvent } from '../src/index.ts';

const now = () => new Date('2026-01-02T03:04:05.000Z');
const event: CloudEvent = {
  id: 'e-1',
  source: '/apis/v1/namespaces/default/pingsources/p',
  type: 'dev.knative.sources.ping',
  subject: 'Push Hook',
  datacontenttype: 'application/json',
  data: '{"a":1}',
  extensions: { the: 42, beats: true, team: 'mine' },
};

describe('percent-encoding of ce-* header values (HTTP binding §3.1.3.2)', () => {
  it.each([
    ['Push Hook', 'Push%20Hook'],
    ['say "hi"', 'say%20%22hi%22'],
    ['100%', '100%25'],
    ['Grüße', 'Gr%C3%BC%C3%9Fe'],
    ['日本', '%E6%97%A5%E6%9C%AC'],
    ['🎉', '%F0%9F%8E%89'],
    ['a\tb', 'a%09b'],
    ['plain-ASCII_~!#$&\'()*+,/:;<=>?@[]^`{|}', 'plain-ASCII_~!#$&\'()*+,/:;<=>?@[]^`{|}'],
  ])('%j → %s and back', (raw, encoded) => {
    expect(percentEncodeHeaderValue(raw)).toBe(encoded);
    expect(decodeHeader(encoded)).toBe(raw);
    expect(percentDecodeHeaderValue(encoded)).toBe(raw);
  });
});

describe('binary mode', () => {
  it('puts attributes in ce-* headers, data in the body, overrides last', () => {
    const encode = createEncoder({ mode: 'binary', overrides: { team: 'override', cluster: 'eu west' }, now });
    const { headers, body } = encode(event);
    expect(headers).toEqual({
      'ce-specversion': '1.0',
      'ce-id': 'e-1',
      'ce-source': '/apis/v1/namespaces/default/pingsources/p',
      'ce-type': 'dev.knative.sources.ping',
      'ce-time': '2026-01-02T03:04:05.000Z',
      'ce-subject': 'Push%20Hook',
      'ce-the': '42',
      'ce-beats': 'true',
      'ce-team': 'override',
      'ce-cluster': 'eu%20west',
      'content-type': 'application/json',
    });
    expect(body).toBe('{"a":1}');
  });

  it('serializes JSON values and sends bytes untouched', () => {
    const encode = createEncoder({ mode: 'binary', overrides: {}, now });
    expect(encode({ ...event, datacontenttype: undefined, data: { x: [1] } }).body).toBe('{"x":[1]}');
    const bytes = new Uint8Array([0, 255, 1]);
    const encoded = encode({ ...event, datacontenttype: 'application/octet-stream', data: bytes });
    expect(encoded.body).toBe(bytes);
    expect(encoded.headers['content-type']).toBe('application/octet-stream');
  });

  it('does not mutate the caller\'s event', () => {
    const frozen = Object.freeze({ ...event, extensions: Object.freeze({ ...event.extensions }) });
    createEncoder({ mode: 'binary', overrides: { team: 'x' } })(frozen);
    expect(frozen.extensions.team).toBe('mine');
  });
});

describe('structured mode', () => {
  const encode = createEncoder({ mode: 'structured', overrides: { team: 'override' }, now });

  it('embeds a JSON payload as JSON without re-encoding it', () => {
    const { headers, body } = encode({ ...event, data: '{ "a" : 1 }' });
    expect(headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(body).toContain('"data":{ "a" : 1 }');
    expect(JSON.parse(body as string)).toEqual({
      specversion: '1.0',
      id: 'e-1',
      source: '/apis/v1/namespaces/default/pingsources/p',
      type: 'dev.knative.sources.ping',
      time: '2026-01-02T03:04:05.000Z',
      subject: 'Push Hook',
      the: 42,
      beats: true,
      team: 'override',
      datacontenttype: 'application/json',
      data: { a: 1 },
    });
  });

  it('uses data_base64 for bytes and a string for text', () => {
    const binary = JSON.parse(encode({ ...event, datacontenttype: 'image/png', data: new Uint8Array([1, 2, 3]) }).body as string);
    expect(binary.data_base64).toBe('AQID');
    expect(binary.data).toBeUndefined();
    const text = JSON.parse(encode({ ...event, datacontenttype: 'text/plain', data: 'hello' }).body as string);
    expect(text.data).toBe('hello');
  });
});
