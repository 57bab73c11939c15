import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
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
  // Without KUBECONFIG the APIServer adapter watches the playground's built-in API test server.
  { action: 'kube-pod', adapter: 'apiserver', type: 'dev.knative.apiserver.ref.add' },
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
  // No KUBECONFIG here: the APIServer adapter runs against the built-in Kubernetes API test server.
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
      // Enabled once its adapter is ready (the page asks again while a button is unavailable).
      await page.locator(`button[data-action="${action}"]:not([disabled])`).waitFor({ timeout: 60_000 });
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
    100_000,
  );

  it.each(SCHEDULED)(
    '$adapter events arrive on their own',
    async ({ adapter, type }) => {
      if (!built(adapter)) return;
      await row(page, type).first().waitFor({ timeout: 30_000 });
    },
    40_000,
  );

  it('says on the page that the APIServer adapter watches the built-in API server, and shows the whole pod life', async () => {
    if (!built('apiserver')) return;
    const notes = await page.locator('#action-notes').textContent();
    expect(notes).toContain('built-in Kubernetes API test server');
    // The button created, changed and deleted one pod: three events, in that order of types.
    await row(page, 'dev.knative.apiserver.ref.update').first().waitFor({ timeout: 30_000 });
    await row(page, 'dev.knative.apiserver.ref.delete').first().waitFor({ timeout: 30_000 });
  }, 70_000);

  it('says so when a preferred port is taken, and uses another', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      // The playground's own port chooser, run as a script so the test sees what it prints.
      const settings = pathToFileURL(join(ROOT, 'scripts', 'playground', 'settings.ts')).href;
      const code = `const { choosePort } = await import(${JSON.stringify(settings)}); console.log('chosen ' + (await choosePort(${port}, 'the event display')));`;
      const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code]);
      const chosen = Number(/chosen (\d+)/.exec(run.stdout)?.[1]);
      expect(chosen).not.toBe(port);
      expect(run.stdout).toContain(`! port ${port} is taken, so the event display listens on ${chosen} instead`);
    } finally {
      taken.close();
    }
  });

  it('binds every adapter and the display to loopback only', async () => {
    const ports = [...playground.stdout().matchAll(/http:\/\/localhost:(\d+)\//g)].map((m) => Number(m[1]));
    expect(ports.length).toBeGreaterThan(0);
    const table = readFileSync('/proc/net/tcp', 'utf8') + readFileSync('/proc/net/tcp6', 'utf8');
    for (const port of new Set(ports)) {
      const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
      const local = table
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((f) => f[3] === '0A' && `${f[1]} `.includes(hex))
        .map((f) => f[1]!.split(':')[0]);
      expect({ port, local }).toEqual({ port, local: ['0100007F'] });
    }
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

  it('says so when the filter matches nothing, instead of a blank list', async () => {
    await page.locator('#filter').fill('no-such-type-anywhere');
    await page.locator('#no-match').waitFor({ state: 'visible' });
    expect(await page.locator('#no-match').textContent()).toContain('No event matches “no-such-type-anywhere”');
    await page.locator('#filter').fill('');
    expect(await page.locator('#no-match').isHidden()).toBe(true);
  });

  it('shows every sample button whole on a wide screen (≥ 1400 px)', async () => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    try {
      const cut = await page
        .locator('.action button small')
        .evaluateAll((smalls) =>
          smalls.filter((small) => small.scrollWidth > small.clientWidth + 1).map((small) => small.textContent),
        );
      expect(cut).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 1000 });
    }
  });

  it('shows a refused webhook, with the reason, on the page and in the terminal', async () => {
    if (!built('github')) return;
    const github = /GitHub\s+http:\/\/localhost:(\d+)\//.exec(playground.stdout())?.[1];
    const response = await fetch(`http://127.0.0.1:${github}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': '00000000-0000-4000-8000-00000000beef',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
      body: '{"zen":"forged"}',
    });
    expect(response.status).toBe(401);
    const refused = page.locator('#refused-list .refused-row[data-by="github"]');
    await refused.first().waitFor({ timeout: 15_000 });
    expect(await refused.first().textContent()).toContain('401');
    await waitFor(() => /✗ github refused a request: 401 \w+: /.test(playground.stdout()), {
      what: 'the refusal in the terminal',
    });
  }, 30_000);

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
    // Ready once its first list of the cluster's pods is done, which may come after the banner.
    await waitFor(
      async () => {
        const actions = (await (await fetch(`${started.url}api/actions`)).json()) as { notes: string[] };
        return actions.notes.includes(
          'APIServer: watches pods in namespace default of your cluster; create or delete a pod to see its events.',
        );
      },
      { timeoutMs: 60_000, what: 'the APIServer note' },
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

  it('takes its adapters down with it when it is killed outright (SIGKILL)', async () => {
    const started = withKube ?? (await startPlayground()).child;
    withKube = started;
    const pid = started.child.pid as number;
    const children = childrenOf(pid);
    expect(children.length).toBeGreaterThan(1);
    started.child.kill('SIGKILL');
    await waitFor(() => children.every((child) => !existsSync(`/proc/${child}/stat`) || isZombie(child)), {
      timeoutMs: 30_000,
      what: `the adapters of the killed playground (${children.join(', ')}) to exit`,
    });
  }, 90_000);
});

/** Processes whose parent is `pid`, from /proc (the playground's adapters and display). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return parentOf(readFileSync(`/proc/${entry}/stat`, 'utf8')) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Field 4 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count from its ')'. */
function parentOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
