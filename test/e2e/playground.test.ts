import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundlePath,
  startKubeApiServer,
  startProcess,
  waitFor,
  type AdapterProcess,
  type KubeApiServer,
} from '@tributary/testkit';

// `npm start` as a visitor uses it: the playground process, its page in a real browser (Debian's
// Chromium), every sample button clicked, every event checked by its Knative type. Adapters
// whose bundle is not built must show as unavailable; every built one must deliver.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const README_SCREENSHOT = join(ROOT, 'packages', 'display', 'screenshot.png');

const SAMPLES = [
  { action: 'github-push', adapter: 'github', type: 'dev.knative.source.github.push' },
  { action: 'gitlab-merge-request', adapter: 'gitlab', type: 'dev.knative.sources.gitlab.merge_request' },
  { action: 'oss-object-created', adapter: 'eventbridge', type: 'oss:ObjectCreated:PutObject' },
  { action: 'sqs-message', adapter: 'sqs', type: 'com.amazon.sqs.message' },
] as const;
const SCHEDULED = [
  { adapter: 'heartbeat', type: 'dev.knative.eventing.samples.heartbeat' },
  { adapter: 'ping', type: 'dev.knative.sources.ping' },
] as const;

const built = (adapter: string) => existsSync(join(ROOT, 'packages', adapter, 'dist', 'main.js'));
const row = (page: Page, type: string) => page.locator(`#events .event[data-type="${type}"]`);

let playground: AdapterProcess;
let pageUrl: string;
let browser: BrowserContext;
let page: Page;
let profile: string;

/** Runs `node scripts/playground.ts` on free ports and returns it with the page URL it printed. */
async function startPlayground(
  env: Record<string, string> = {},
): Promise<{ child: AdapterProcess; url: string }> {
  const child = startProcess(join(ROOT, 'scripts', 'playground.ts'), { PLAYGROUND_PORT: '0', ...env });
  await waitFor(() => /Event display\s+http:\/\/\S+/.test(child.stdout()) || child.child.exitCode !== null, {
    timeoutMs: 60_000,
    what: 'the playground banner',
  });
  const match = /Event display\s+(http:\/\/\S+)/.exec(child.stdout());
  if (match?.[1] === undefined)
    throw new Error(`the playground did not start:\n${child.stdout()}\n${child.stderr()}`);
  return { child, url: match[1].replace('localhost', '127.0.0.1') };
}

beforeAll(async () => {
  bundlePath('display');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  // No KUBECONFIG here, so the APIServer adapter stays out.
  ({ child: playground, url: pageUrl } = await startPlayground());

  profile = mkdtempSync(join(tmpdir(), 'tributary-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 1000 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(pageUrl);
  await page.locator('#status[data-state="live"]').waitFor({ timeout: 15_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  await playground?.stop(20_000);
}, 60_000);

describe('npm start: the playground in a browser', () => {
  it('prints the page URL and, for each built webhook receiver, its URL and secret', () => {
    const out = playground.stdout();
    if (built('github'))
      expect(out).toMatch(/GitHub\s+http:\/\/localhost:\d+\/\s+secret \(X-Hub-Signature-256\) [0-9a-f]{32}/);
    if (built('gitlab'))
      expect(out).toMatch(/GitLab\s+http:\/\/localhost:\d+\/\s+token \(X-Gitlab-Token\) [0-9a-f]{32}/);
    if (built('eventbridge'))
      expect(out).toMatch(
        /EventBridge\s+http:\/\/localhost:\d+\/\s+token \(x-eventbridge-signature-token\) [0-9a-f]{32}/,
      );
    expect(out).toContain('Ctrl-C stops everything');
  });

  it.each(SAMPLES)(
    'the $action button delivers a $type event through the real adapter',
    async ({ action, adapter, type }) => {
      const button = page.locator(`button[data-action="${action}"]`);
      await button.waitFor({ timeout: 10_000 });
      if (!built(adapter)) {
        expect(await button.isDisabled()).toBe(true);
        return;
      }
      expect(await button.isEnabled()).toBe(true);
      await button.click();
      const result = page.locator(`.action:has(button[data-action="${action}"]) .result`);
      await page
        .locator(`.action:has(button[data-action="${action}"]) .result[data-ok]`)
        .waitFor({ timeout: 30_000 });
      expect({ ok: await result.getAttribute('data-ok'), message: await result.textContent() }).toMatchObject(
        { ok: 'true' },
      );
      await row(page, type).first().waitFor({ timeout: 30_000 });
    },
    60_000,
  );

  it.each(SCHEDULED)(
    '$adapter events arrive on their own',
    async ({ adapter, type }) => {
      if (!built(adapter)) return;
      await row(page, type).first().waitFor({ timeout: 30_000 });
    },
    40_000,
  );

  it('says on the page why the APIServer adapter is not running', async () => {
    const notes = await page.locator('#action-notes').textContent();
    expect(notes).toContain(built('apiserver') ? 'KUBECONFIG is not set' : 'apiserver');
  });

  it('counts events per type and shows one in full when clicked', async () => {
    const first = SAMPLES.find((sample) => built(sample.adapter)) ?? SCHEDULED[0];
    const chip = page.locator(`#counts .chip[data-type="${first.type}"] b`);
    expect(Number(await chip.textContent())).toBeGreaterThanOrEqual(1);
    await row(page, first.type).first().click();
    await page.locator('#detail').waitFor({ state: 'visible' });
    expect(await page.locator('#detail-title').textContent()).toBe(first.type);
    expect(await page.locator('#detail-attributes').textContent()).toContain('specversion1.0');
    expect(await page.locator('#detail-data-kind').textContent()).toBe('JSON');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'playground.png') });
    if (process.env['UPDATE_README_SCREENSHOT'] === '1')
      copyFileSync(join(ARTIFACTS, 'playground.png'), README_SCREENSHOT);
  });

  it('filters by type text', async () => {
    const type = SCHEDULED[0].type;
    await page.locator('#filter').fill('samples.heartbeat');
    const types = await page
      .locator('#events .event')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set([type]));
    await page.locator('#filter').fill('');
  });

  it('holds the list still while paused, then shows what arrived', async () => {
    const sample = SAMPLES.find((s) => built(s.adapter));
    if (sample === undefined) return;
    await page.locator('#pause').click();
    const before = await row(page, sample.type).count();
    await page.locator(`button[data-action="${sample.action}"]`).click();
    await page.locator('#pause', { hasText: 'new)' }).waitFor({ timeout: 30_000 });
    expect(await row(page, sample.type).count()).toBe(before);
    await page.locator('#pause').click();
    await waitFor(async () => (await row(page, sample.type).count()) === before + 1, {
      what: 'the paused event',
    });
  }, 40_000);

  it('clears the events', async () => {
    await page.locator('#clear').click();
    await page.locator('#empty').waitFor({ state: 'visible' });
    expect(await page.locator('#total').textContent()).toBe('0');
  });

  it('stops everything on Ctrl-C', async () => {
    playground.signal('SIGINT');
    expect(await playground.exited).toEqual({ code: 0, signal: null });
    expect(playground.stdout()).toContain('Stopped.');
    await expect(fetch(pageUrl)).rejects.toThrow();
  }, 40_000);
});

describe('npm start with KUBECONFIG: the APIServer adapter joins', () => {
  let kube: KubeApiServer | undefined;
  let withKube: AdapterProcess | undefined;
  let dir: string | undefined;

  afterAll(async () => {
    await withKube?.stop(20_000);
    await kube?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('watches the pods of the cluster KUBECONFIG names and shows their events', async () => {
    if (!built('apiserver')) return;
    kube = await startKubeApiServer();
    dir = mkdtempSync(join(tmpdir(), 'tributary-kube-'));
    const kubeconfig = await kube.writeKubeconfig(join(dir, 'config'));
    const started = await startPlayground({ KUBECONFIG: kubeconfig });
    withKube = started.child;
    expect(started.child.stdout()).toMatch(/Running: .*apiserver/);
    const actions = (await (await fetch(`${started.url}api/actions`)).json()) as { notes: string[] };
    expect(actions.notes).toContain(
      'APIServer: watches pods in namespace default of your cluster; create or delete a pod to see its events.',
    );

    kube.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hello-playground', namespace: 'default' },
    });
    await waitFor(
      async () => {
        const kept = (await (await fetch(`${started.url}api/events`)).json()) as {
          events: { attributes: Record<string, unknown> }[];
        };
        return kept.events.some(
          (event) =>
            event.attributes['type'] === 'dev.knative.apiserver.ref.add' &&
            String(event.attributes['subject']).endsWith('/pods/hello-playground'),
        );
      },
      { timeoutMs: 20_000, what: 'the pod event at the display' },
    );
  }, 90_000);
});
