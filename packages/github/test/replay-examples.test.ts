import {
  adapterEnv,
  bundlePath,
  startProcess,
  startRecordingSink,
  type AdapterProcess,
  type RecordingSink,
  type ReceivedEvent,
} from '@tributary/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { sourceFromPayload, subjectAndExtensions } from '../src/index.ts';
import { deliver, formBody, TEST_SECRET } from './support/deliver.ts';
import { allWebhookExamples, type WebhookExample } from './support/fixtures.ts';

const examples = allWebhookExamples();
let sink: RecordingSink | undefined;
let adapter: AdapterProcess | undefined;

afterEach(async () => {
  await adapter?.stop();
  await sink?.close();
});

/** Varied encodings, all byte-exact: compact JSON, pretty JSON, and form bodies. */
function bodyOf(example: WebhookExample): { json: string; body: string; contentType: string } {
  const json =
    example.index % 3 === 1 ? JSON.stringify(example.payload, null, 2) : JSON.stringify(example.payload);
  return example.index % 4 === 2
    ? { json, body: formBody(json), contentType: 'application/x-www-form-urlencoded' }
    : { json, body: json, contentType: 'application/json' };
}

async function replay(
  mode: 'binary' | 'structured',
  selection: readonly WebhookExample[],
): Promise<Map<string, ReceivedEvent>> {
  sink = await startRecordingSink();
  const env = await adapterEnv(sink.url, {
    GITHUB_SECRET_TOKEN: TEST_SECRET,
    K_SINK_MODE: mode,
  });
  adapter = startProcess(bundlePath('github'), env);
  await adapter.waitForReady(Number(env.PORT));
  const port = Number(env.PORT);
  const queue = selection.map((example) => ({ example, id: deliveryId(mode, example) }));
  // A few deliveries at a time, as GitHub sends them.
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const { body, contentType } = bodyOf(next.example);
        const answer = await deliver(port, { event: next.example.event, id: next.id, body, contentType });
        expect(answer.status, label(next.example)).toBe(200);
      }
    }),
  );
  const events = await sink.waitForEvents(selection.length);
  expect(events).toHaveLength(selection.length);
  return new Map(events.map((event) => [String(event.attributes['id']), event]));
}

const deliveryId = (mode: string, example: WebhookExample) =>
  `${mode}-${example.set}-${example.event}-${example.index}`;
const label = (example: WebhookExample) => `${example.set} ${example.event} #${example.index}`;

function expectedAttributes(example: WebhookExample, id: string) {
  const { subject, extensions } = subjectAndExtensions(example.event, example.payload);
  return {
    specversion: '1.0',
    id,
    type: `dev.knative.source.github.${example.event}`,
    source: sourceFromPayload(example.payload, 'https://github.com'),
    datacontenttype: 'application/json',
    ...(subject !== undefined && { subject }),
    ...extensions,
  };
}

describe(`replaying all ${examples.length} distinct @octokit/webhooks-examples payloads through the bundle`, () => {
  it('delivers each as the eventing-github CloudEvent with the payload byte for byte (binary mode)', async () => {
    const received = await replay('binary', examples);
    for (const example of examples) {
      const id = deliveryId('binary', example);
      const event = received.get(id);
      const { time, ...attributes } = event?.attributes ?? {};
      const expected = expectedAttributes(example, id);
      // Binary mode carries every extension as header text.
      const asText = Object.fromEntries(Object.entries(expected).map(([key, value]) => [key, String(value)]));
      expect(attributes, label(example)).toStrictEqual(asText);
      expect(typeof time).toBe('string');
      expect(event?.data, label(example)).toStrictEqual(Buffer.from(bodyOf(example).json));
    }
  });

  it('keeps integer and boolean extension types in structured mode (one example per event)', async () => {
    const firstOfEach = examples.filter((example) => example.set === 'api.github.com' && example.index === 0);
    const received = await replay('structured', firstOfEach);
    for (const example of firstOfEach) {
      const id = deliveryId('structured', example);
      const event = received.get(id);
      const { time: _time, ...attributes } = event?.attributes ?? {};
      expect(attributes, label(example)).toStrictEqual(expectedAttributes(example, id));
      // Structured mode embeds the JSON document: same value, independent of whitespace.
      expect(event?.json(), label(example)).toStrictEqual(JSON.parse(bodyOf(example).json));
    }
  });
});
