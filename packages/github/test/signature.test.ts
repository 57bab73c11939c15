import { createHmac } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import { HttpError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { SignatureVerifier, decodeBody } from '../src/index.ts';

const body = Buffer.from('{"zen":"Keep it logically awesome.","hook_id":1}');
const sha1 = (secret: string, bytes: Buffer) =>
  `sha1=${createHmac('sha1', secret).update(bytes).digest('hex')}`;

function rejection(verify: () => void): { status: number; code: string } | undefined {
  try {
    verify();
    return undefined;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, code: error.code };
  }
}

describe('SignatureVerifier', () => {
  const verifier = new SignatureVerifier(['It’s a Secret to Everybody']);

  it('accepts the X-Hub-Signature-256 that @octokit/webhooks computes', async () => {
    const signature = await new Webhooks({ secret: 'It’s a Secret to Everybody' }).sign(body.toString());
    expect(rejection(() => verifier.verify({ 'x-hub-signature-256': signature }, body))).toBeUndefined();
    expect(
      rejection(() =>
        verifier.verify({ 'x-hub-signature-256': signature.toUpperCase().replace('SHA256', 'sha256') }, body),
      ),
    ).toBeUndefined();
  });

  it('signs the raw bytes, not a decoded string', () => {
    const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]); // {"a":"\xff\xfe"}
    const signature = `sha256=${createHmac('sha256', 'It’s a Secret to Everybody').update(bytes).digest('hex')}`;
    expect(rejection(() => verifier.verify({ 'x-hub-signature-256': signature }, bytes))).toBeUndefined();
  });

  it('refuses a wrong, malformed or missing signature with 401', async () => {
    const wrong = await new Webhooks({ secret: 'another secret' }).sign(body.toString());
    expect(rejection(() => verifier.verify({ 'x-hub-signature-256': wrong }, body))).toStrictEqual({
      status: 401,
      code: 'SIGNATURE_INVALID',
    });
    expect(rejection(() => verifier.verify({ 'x-hub-signature-256': 'sha256=abc' }, body))).toStrictEqual({
      status: 401,
      code: 'SIGNATURE_MALFORMED',
    });
    expect(rejection(() => verifier.verify({}, body))).toStrictEqual({
      status: 401,
      code: 'SIGNATURE_MISSING',
    });
  });

  it('falls back to SHA-1 only when no SHA-256 header is sent', () => {
    const good1 = sha1('It’s a Secret to Everybody', body);
    expect(rejection(() => verifier.verify({ 'x-hub-signature': good1 }, body))).toBeUndefined();
    // A valid SHA-1 does not rescue an invalid SHA-256.
    expect(
      rejection(() =>
        verifier.verify(
          { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}`, 'x-hub-signature': good1 },
          body,
        ),
      ),
    ).toStrictEqual({ status: 401, code: 'SIGNATURE_INVALID' });
    expect(rejection(() => verifier.verify({ 'x-hub-signature': sha1('nope', body) }, body))).toStrictEqual({
      status: 401,
      code: 'SIGNATURE_INVALID',
    });
  });

  it('accepts the current and the previous secret during a rotation', () => {
    const rotating = new SignatureVerifier(['new', 'old']);
    const sign = (secret: string) => ({
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    });
    expect(rejection(() => rotating.verify(sign('new'), body))).toBeUndefined();
    expect(rejection(() => rotating.verify(sign('old'), body))).toBeUndefined();
    expect(rejection(() => rotating.verify(sign('older'), body))?.status).toBe(401);
  });

  it('checks nothing when unsigned intake was allowed and there is no secret', () => {
    expect(new SignatureVerifier([]).enabled).toBe(false);
    expect(rejection(() => new SignatureVerifier([]).verify({}, body))).toBeUndefined();
  });
});

describe('decodeBody', () => {
  const json = '{"action":"opened","text":"a+b & c=d é"}';

  it('keeps a JSON body as the very same bytes', () => {
    const bytes = Buffer.from(json);
    const decoded = decodeBody('application/json', bytes);
    expect(decoded.data).toBe(bytes);
    expect(decoded.payload).toStrictEqual({ action: 'opened', text: 'a+b & c=d é' });
  });

  it('takes the JSON text out of a form body', () => {
    const form = Buffer.from(new URLSearchParams({ payload: json }).toString());
    const decoded = decodeBody('application/x-www-form-urlencoded', form);
    expect(decoded.data).toBe(json);
    expect(decoded.payload['text']).toBe('a+b & c=d é');
  });

  it.each([
    ['application/json', '{"action":"opened","issue":{"number":', 'PAYLOAD_MALFORMED'],
    ['application/json', '', 'PAYLOAD_MALFORMED'],
    ['application/json', '[1,2]', 'PAYLOAD_NOT_OBJECT'],
    ['application/x-www-form-urlencoded', 'other=1', 'PAYLOAD_FIELD_MISSING'],
    ['application/x-www-form-urlencoded', 'payload=%7B%22a%22', 'PAYLOAD_MALFORMED'],
  ])('refuses %s %j with 400 %s', (mediaType, text, code) => {
    expect(rejection(() => decodeBody(mediaType, Buffer.from(text)))).toStrictEqual({ status: 400, code });
  });
});
