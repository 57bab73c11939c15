import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@tributary/testkit';
import { watchEvents, WatchIdleError } from '../../src/index.ts';

const stream = readFileSync(fixturePath('apiserver', 'watch-stream.jsonl'));

async function collect(body: Readable): Promise<Array<{ type: string; rv: string | undefined }>> {
  const out: Array<{ type: string; rv: string | undefined }> = [];
  for await (const event of watchEvents(body, 5_000))
    out.push({ type: event.type, rv: event.object.metadata?.resourceVersion });
  return out;
}

describe('watchEvents', () => {
  const expected = [
    { type: 'ADDED', rv: '550088' },
    { type: 'MODIFIED', rv: '550140' },
    { type: 'BOOKMARK', rv: '550160' },
    { type: 'DELETED', rv: '550171' },
    { type: 'ERROR', rv: undefined },
  ];

  it('parses a real watch stream line by line', async () => {
    expect(await collect(Readable.from([stream]))).toEqual(expected);
  });

  it('reassembles lines and multi-byte characters split across chunks', async () => {
    const withUnicode = Buffer.concat([
      stream,
      Buffer.from('{"type":"ADDED","object":{"metadata":{"name":"çà-ü","resourceVersion":"1"}}}\n'),
    ]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < withUnicode.length; i += 7) chunks.push(withUnicode.subarray(i, i + 7));
    const names: unknown[] = [];
    for await (const event of watchEvents(Readable.from(chunks), 5_000))
      names.push(event.object.metadata?.name);
    expect(names.at(-1)).toBe('çà-ü');
    expect(names).toHaveLength(6);
  });

  it('reads nothing more while the consumer is busy (backpressure)', async () => {
    const body = new PassThrough({ highWaterMark: 16 });
    const lines = stream
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
    const events = watchEvents(body, 5_000);
    body.write(`${lines[0]}\n`);
    await events.next();
    // While the consumer holds on to the first event, writes pile up in the stream's buffer.
    let accepted = true;
    for (let i = 1; i < lines.length && accepted; i++) accepted = body.write(`${lines[i]}\n`);
    expect(accepted).toBe(false);
    await events.return(undefined);
    expect(body.destroyed).toBe(true);
  });

  it('fails with WatchIdleError when the server goes silent', async () => {
    const body = new PassThrough();
    await expect(async () => {
      for await (const _ of watchEvents(body, 50)) void _;
    }).rejects.toBeInstanceOf(WatchIdleError);
  });

  it('refuses a malformed line', async () => {
    await expect(collect(Readable.from(['{"kind":"Status"}\n']))).rejects.toThrow(/malformed watch event/);
  });
});
