import { describe, expect, it } from 'vitest';
import { bundlePath, startProcess } from '@tributary/testkit';

// Node replaces a timer delay past 2³¹−1 ms by 1 ms (TimeoutOverflowWarning): HEARTBEAT_PERIOD=1000h
// used to beat every millisecond, SHUTDOWN_GRACE_PERIOD=1000h to exit 1 at once on SIGTERM. Every
// duration variable of every adapter goes through core's one duration rule and is refused at startup.
const LIMIT = "must be at most 596h31m23.647s (Node's timer limit)";
const SINK = { K_SINK: 'http://127.0.0.1:9/' };

const CASES: ReadonlyArray<{ adapter: string; variable: string; value: string; env?: Record<string, string> }> = [
  { adapter: 'heartbeat', variable: 'SHUTDOWN_GRACE_PERIOD', value: '1000h' },
  { adapter: 'heartbeat', variable: 'K_SINK_BACKOFF_MAX', value: '1000h' },
  { adapter: 'heartbeat', variable: 'K_SINK_BACKOFF_DELAY', value: 'PT1000H' },
  { adapter: 'heartbeat', variable: 'K_SINK_TIMEOUT', value: '3600000' },
  { adapter: 'heartbeat', variable: 'HEARTBEAT_PERIOD', value: '1000h' },
  { adapter: 'ping', variable: 'PING_SOURCES_POLL_INTERVAL', value: '1000h', env: { PING_SOURCES_FILE: '/nonexistent' } },
  { adapter: 'apiserver', variable: 'APISERVER_BACKOFF_MAX', value: '1000h' },
  { adapter: 'eventbridge', variable: 'EVENTBRIDGE_SIGNATURE_MAX_AGE', value: '1000h' },
  { adapter: 'github', variable: 'SHUTDOWN_GRACE_PERIOD', value: '1000h' },
  { adapter: 'gitlab', variable: 'SHUTDOWN_GRACE_PERIOD', value: '1000h' },
];

describe('duration variables past Node timer limit', () => {
  it.each(CASES)('$adapter refuses $variable=$value at startup, naming it', async ({ adapter, variable, value, env }) => {
    const proc = startProcess(bundlePath(adapter), { ...SINK, ...env, [variable]: value });
    const exit = await proc.exited;
    expect(exit.code).toBe(78);
    expect(proc.stderr()).toContain(`  - ${variable}: ${LIMIT}`);
    expect(proc.stderr()).not.toContain('TimeoutOverflowWarning');
  });

  it('sqs bounds its visibility durations by SQS own 12 h ceiling', async () => {
    const proc = startProcess(bundlePath('sqs'), {
      ...SINK,
      SQS_VISIBILITY_TIMEOUT: '1000h',
      SQS_RETRY_DELAY: '1000h',
      SQS_RETRY_DELAY_MAX: '13h',
    });
    expect((await proc.exited).code).toBe(78);
    expect(proc.stderr()).toContain('  - SQS_VISIBILITY_TIMEOUT: must be at most 12h, got 1000h');
    expect(proc.stderr()).toContain('  - SQS_RETRY_DELAY: must be at most 12h, got 1000h');
    expect(proc.stderr()).toContain('  - SQS_RETRY_DELAY_MAX: must be at most 12h, got 13h');
  });

  it('leader election refuses a lease duration past the timer limit', async () => {
    const config = JSON.stringify({ leaseDuration: '1000h', renewDeadline: '10s', retryPeriod: '2s' });
    const proc = startProcess(bundlePath('heartbeat'), { ...SINK, K_LEADER_ELECTION_CONFIG: config, NAMESPACE: 'demo' });
    expect((await proc.exited).code).toBe(78);
    expect(proc.stderr()).toContain(`  - K_LEADER_ELECTION_CONFIG: leaseDuration ${LIMIT}`);
  });
});
