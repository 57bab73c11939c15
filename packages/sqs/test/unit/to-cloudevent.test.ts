import { readFileSync } from 'node:fs';
import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@tributary/testkit';
import {
  extensionName,
  isJson,
  messageExtensions,
  messageJson,
  sqsMessageEvent,
} from '../../src/to-cloudevent.ts';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:80398EXAMPLE:MyQueue';
/** `aws sqs receive-message` output from the AWS CLI reference. */
const cliMessage = (
  JSON.parse(readFileSync(fixturePath('sqs', 'sqs-receive-message.json'), 'utf8')) as { Messages: Message[] }
).Messages[0] as Message;

describe('sqsMessageEvent (default processor)', () => {
  it("maps a received message the way TriggerMesh's default processor does, with SentTimestamp as time", () => {
    const event = sqsMessageEvent(cliMessage, { source: QUEUE_ARN, dataMode: 'message' });
    expect(event).toEqual({
      id: 'd6790f8d-d575-4f01-bc51-40122EXAMPLE',
      type: 'com.amazon.sqs.message',
      source: QUEUE_ARN,
      time: '2015-09-16T18:31:16.921Z',
      datacontenttype: 'application/json',
      data: expect.any(String),
      extensions: { sqsmsgpostalcode: 'ABC123', sqsmsgcity: 'Any City' },
    });
    expect(JSON.parse(event.data as string)).toEqual({
      Body: 'My first message.',
      Attributes: cliMessage.Attributes,
      MD5OfBody: '1000f835...a35411fa',
      MD5OfMessageAttributes: '9424c491...26bc3ae7',
      MessageAttributes: cliMessage.MessageAttributes,
      MessageId: 'd6790f8d-d575-4f01-bc51-40122EXAMPLE',
      ReceiptHandle: 'AQEBzbVv...fqNzFw==',
    });
  });

  it('in body mode sends the body alone: text as text/plain, JSON verbatim', () => {
    expect(sqsMessageEvent(cliMessage, { source: QUEUE_ARN, dataMode: 'body' })).toMatchObject({
      datacontenttype: 'text/plain; charset=utf-8',
      data: 'My first message.',
    });
    const json = { ...cliMessage, Body: '{"amount": 12345678901234567890}' };
    expect(sqsMessageEvent(json, { source: QUEUE_ARN, dataMode: 'body' })).toMatchObject({
      datacontenttype: 'application/json',
      data: '{"amount": 12345678901234567890}',
    });
  });

  it('leaves time to core when SentTimestamp was not returned, and extensions out when there are no attributes', () => {
    const bare: Message = { MessageId: 'm-1', Body: 'x' };
    const event = sqsMessageEvent(bare, { source: QUEUE_ARN, dataMode: 'message' });
    expect(event.time).toBeUndefined();
    expect(event.extensions).toBeUndefined();
    expect(event.data).toBe('{"Body":"x","MessageId":"m-1"}');
  });
});

describe('messageJson', () => {
  it('embeds a JSON body verbatim, first, as Go marshals json.RawMessage (big numbers survive)', () => {
    expect(messageJson({ MessageId: 'm', Body: ' {"n": 12345678901234567890} ' })).toBe(
      '{"Body":{"n": 12345678901234567890},"MessageId":"m"}',
    );
  });

  it('writes binary attribute values as base64, as Go encodes []byte', () => {
    const message: Message = {
      MessageId: 'm',
      MessageAttributes: {
        blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([1, 2, 255]) },
        list: { DataType: 'Binary', BinaryListValues: [Uint8Array.from([0])] },
      },
    };
    expect(JSON.parse(messageJson(message)).MessageAttributes).toEqual({
      blob: { DataType: 'Binary', BinaryValue: 'AQL/' },
      list: { DataType: 'Binary', BinaryListValues: ['AA=='] },
    });
  });
});

describe('messageExtensions', () => {
  it('skips Binary and Binary.* attributes, keeps Number and custom String types', () => {
    expect(
      messageExtensions({
        Blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([1]) },
        Image: { DataType: 'Binary.png', BinaryValue: Uint8Array.from([1]) },
        Count: { DataType: 'Number.int', StringValue: '42' },
        'x-Trace_ID': { DataType: 'String.uuid', StringValue: 'abc' },
      }),
    ).toEqual({ sqsmsgcount: '42', sqsmsgxtraceid: 'abc' });
  });

  it('lower-cases names and strips every non-alphanumeric character', () => {
    expect(extensionName('My.Attribute-Name_2')).toBe('sqsmsgmyattributename2');
    expect(extensionName('Ünïcode')).toBe('sqsmsgncode');
  });
});

describe('isJson', () => {
  it.each([
    ['{"a":1}', true],
    ['[1,2]', true],
    ['"text"', true],
    ['42', true],
    ['true', true],
    ['null', true],
    ['{"a":', false],
    ['hello', false],
    ['', false],
    ['nope', false],
  ])('%j → %s', (text, expected) => {
    expect(isJson(text)).toBe(expected);
  });
});
