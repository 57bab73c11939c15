import type { AdapterState } from './fleet.ts';

export interface BannerInput {
  readonly displayUrl: string;
  readonly host: string;
  readonly adapters: readonly AdapterState[];
  readonly sqs: { readonly endpoint: string; readonly queueUrl: string } | undefined;
}

const pad = (text: string, width: number) => text.padEnd(width);

/** What a newcomer needs after `npm start`: the page, the local endpoints and their secrets. */
export function banner({ displayUrl, host, adapters, sqs }: BannerInput): string {
  const lines = ['', 'Tributary playground: every adapter, one event display, no cloud account.', ''];
  lines.push(`  Event display   ${displayUrl}   <- open this`, '');
  const receivers = adapters.filter((a) => a.spec.webhook !== undefined && a.status === 'running');
  if (receivers.length > 0) {
    lines.push("  Webhook endpoints (POST; the page's sample buttons use them too):");
    for (const { spec, port } of receivers) {
      const url = `http://${host}:${port}/`;
      lines.push(
        `    ${pad(spec.webhook?.label ?? spec.name, 12)} ${pad(url, 26)} ${spec.webhook?.header} ${spec.webhook?.secret}`,
      );
    }
    lines.push('');
  }
  if (sqs !== undefined) {
    const endpoint = sqs.endpoint.replace('127.0.0.1', host);
    lines.push(`  SQS emulator    ${endpoint}   queue ${sqs.queueUrl}`);
    lines.push(
      `    aws --endpoint-url ${endpoint} sqs send-message --queue-url ${sqs.queueUrl} --message-body '{"hello":"sqs"}'`,
    );
    lines.push(
      '    (any access key works: AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1)',
      '',
    );
  }
  const running = adapters.filter((a) => a.status === 'running' || a.status === 'not-ready');
  lines.push(
    `  Running: ${running.map((a) => a.spec.name + (a.reason === undefined ? '' : ` (${a.reason})`)).join(', ') || 'no adapter'}`,
  );
  for (const skipped of adapters.filter((a) => !running.includes(a))) {
    lines.push(`  Not running: ${skipped.spec.name}: ${skipped.reason ?? skipped.status}`);
  }
  lines.push('', '  Events print below as they arrive. Ctrl-C stops everything.', '');
  return lines.join('\n');
}
