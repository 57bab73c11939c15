import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterEnv, bundlePath, startProcess, startRecordingSink, type AdapterProcess, type RecordingSink } from '@tributary/testkit';

// LISTEN_ADDRESS=127.0.0.1 binds the intake and metrics ports to loopback only (a local run, the
// playground); unset, they bind every interface, as a pod needs. Read from the kernel's socket table
// (/proc/net/tcp, IPv4 listeners: state 0A), so the test sees what was bound, not what was asked.
function listeners(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${hex}`))
    .map((fields) => fields[1]!.split(':')[0]!);
}

describe.each([
  { listenAddress: '127.0.0.1', bound: '0100007F' },
  { listenAddress: undefined, bound: '00000000' },
])('github with LISTEN_ADDRESS=$listenAddress', ({ listenAddress, bound }) => {
  let sink: RecordingSink;
  let proc: AdapterProcess;
  let port: number;
  let metricsPort: number;
  beforeAll(async () => {
    sink = await startRecordingSink();
    const vars = await adapterEnv(sink.url, {
      GITHUB_SECRET_TOKEN: 'listen-secret',
      GITHUB_OWNER_REPO: 'octo/hello',
      ...(listenAddress === undefined ? {} : { LISTEN_ADDRESS: listenAddress }),
    });
    port = Number(vars.PORT);
    metricsPort = Number(vars.METRICS_PORT);
    proc = startProcess(bundlePath('github'), vars);
    await proc.waitForReady(port);
  });
  afterAll(async () => {
    await proc.stop(5_000);
    await sink.close();
  });

  it('binds the intake and the metrics port there', () => {
    // Unset binds the IPv6 wildcard where the kernel has IPv6, which accepts IPv4 too and is not
    // in /proc/net/tcp; then the IPv4 table has no entry and the v6 one has the wildcard.
    if (listenAddress === undefined) {
      const v6 = readFileSync('/proc/net/tcp6', 'utf8');
      const wildcard = (p: number) =>
        listeners(p).includes(bound) || v6.includes(`00000000000000000000000000000000:${p.toString(16).toUpperCase().padStart(4, '0')}`);
      expect(wildcard(port)).toBe(true);
      expect(wildcard(metricsPort)).toBe(true);
    } else {
      expect(listeners(port)).toEqual([bound]);
      expect(listeners(metricsPort)).toEqual([bound]);
    }
  });
});

describe('a LISTEN_ADDRESS that is not an IP address', () => {
  it('stops the adapter at startup naming the variable', async () => {
    const vars = await adapterEnv('http://127.0.0.1:9/', {
      GITHUB_SECRET_TOKEN: 'listen-secret',
      GITHUB_OWNER_REPO: 'octo/hello',
      LISTEN_ADDRESS: 'localhost:8080',
    });
    const proc = startProcess(bundlePath('github'), vars);
    const exit = await proc.exited;
    expect(exit.code).toBe(78);
    expect(proc.stdout() + proc.stderr()).toContain('LISTEN_ADDRESS');
  });
});
