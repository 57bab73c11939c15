import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterEnv, bundlePath, startProcess, startRecordingSink, type AdapterProcess, type RecordingSink } from '@tributary/testkit';

// RFC 8259 §8.1: JSON exchanged between systems is UTF-8. A JSON body with an invalid byte sequence
// (here a lone 0xff inside a string) is refused by core with 400 for every webhook intake, even when
// it is correctly signed, instead of being forwarded byte for byte as application/json.
const SECRET = 'utf8-secret';
const BODY = Buffer.concat([Buffer.from('{"zen":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","hook_id":1}')]);

interface Intake {
  readonly adapter: string;
  readonly env: Record<string, string>;
  readonly headers: (body: Buffer) => Record<string, string>;
}

const INTAKES: readonly Intake[] = [
  {
    adapter: 'github',
    env: { GITHUB_SECRET_TOKEN: SECRET, GITHUB_OWNER_REPO: 'octo/hello' },
    headers: (body) => ({
      'x-github-event': 'ping',
      'x-github-delivery': 'f0e1d2c3-0000-4000-8000-000000000001',
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    }),
  },
  {
    adapter: 'gitlab',
    env: { GITLAB_SECRET_TOKEN: SECRET, GITLAB_EVENT_SOURCE: 'https://gitlab.example.com/group/project' },
    headers: () => ({ 'x-gitlab-token': SECRET, 'x-gitlab-event': 'Push Hook' }),
  },
  {
    adapter: 'eventbridge',
    env: { EVENTBRIDGE_TOKEN: SECRET },
    headers: () => ({ 'x-eventbridge-signature-token': SECRET }),
  },
  {
    // Binary mode: the body is the event's data, JSON by its Content-Type.
    adapter: 'eventbridge',
    env: { EVENTBRIDGE_TOKEN: SECRET },
    headers: () => ({
      'x-eventbridge-signature-token': SECRET,
      'ce-specversion': '1.0',
      'ce-id': 'utf8-1',
      'ce-source': 'acs.oss',
      'ce-type': 'oss:ObjectCreated:PutObject',
    }),
  },
];

describe.each(INTAKES)('$adapter: a JSON body that is not UTF-8', ({ adapter, env, headers }) => {
  let sink: RecordingSink;
  let proc: AdapterProcess;
  let port: number;
  beforeAll(async () => {
    sink = await startRecordingSink();
    const vars = await adapterEnv(sink.url, env);
    port = Number(vars.PORT);
    proc = startProcess(bundlePath(adapter), vars);
    await proc.waitForReady(port);
  });
  afterAll(async () => {
    await proc.stop(5_000);
    await sink.close();
  });

  it('is a 400 naming the problem, and nothing reaches the sink', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers(BODY) },
      body: BODY,
    });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: string; message: string };
    expect(answer.error).toBe('BODY_NOT_UTF8');
    expect(answer.message).toContain('not valid UTF-8');
    expect(sink.events).toHaveLength(0);
  });
});
