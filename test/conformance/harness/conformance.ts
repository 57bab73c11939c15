import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  selfSignedCertificate,
  startKubeApiServer,
  startRecordingSink,
  waitFor,
  type ReceivedEvent,
} from '@tributary/testkit';
import {
  Buildah,
  buildAdapterImage,
  buildahProblem,
  ensureBaseImage,
} from '../../../deploy/image/buildah.ts';
import type { ControllerFixture, Variant, World } from './fixture.ts';
import { lockHostPorts } from './host-lock.ts';
import { probeUrl, resolvePod, type ResolvedPod } from './pod.ts';
import { runBundle, runImage, type RunningAdapter } from './runners.ts';

/** Generous: the suite runs beside everything else on a 2-core CI machine. */
const READY_MS = 120_000;
const EVENTS_MS = 60_000;

/**
 * Registers a fixture's tests: its container spec run against the built bundle and against the
 * built image (buildah), each with a fresh Kubernetes API test server (https, reached as a pod
 * reaches it) and recording sink. Each asserts ready on the controller's probes, the events exactly
 * as the Go adapter sends them, the token on every delivery where OIDC is configured, and a clean
 * exit on SIGTERM. Variants (malformed Knative config) run against the bundle.
 */
export function describeConformance(fixture: ControllerFixture): void {
  const { repository, path, tag } = fixture.upstream;
  describe(`${fixture.name}: the container ${repository} ${path} generates at ${tag}`, () => {
    let release: (() => void) | undefined;
    let image: Image | undefined;
    beforeAll(async () => {
      // Built before taking the ports: a build takes minutes and needs no port.
      image = imageFor(fixture.adapter);
      release = await lockHostPorts();
    });
    afterAll(() => release?.());

    it(`the bundle (packages/${fixture.adapter}/dist/main.js)`, () =>
      runFixture(fixture, (pod) => runBundle(fixture.adapter, pod)));

    it(`the image (deploy/docker/Dockerfile, ${fixture.adapter})`, () => {
      // Failing, not skipped, without buildah: the reason is the test's failure.
      if (image === undefined || 'problem' in image) throw new Error(image?.problem ?? 'no image');
      const { buildah, name } = image;
      return runFixture(fixture, (pod) => runImage(buildah, name, pod));
    });

    for (const variant of fixture.variants ?? []) {
      it(`the bundle, ${variant.name}`, () =>
        runFixture(fixture, (pod) => runBundle(fixture.adapter, pod), variant));
    }
  });
}

type Image = { readonly buildah: Buildah; readonly name: string } | { readonly problem: string };

const images = new Map<string, Image>();
let storage: Buildah | undefined;

/** The adapter's image, built once per test file into one buildah storage removed at exit. */
function imageFor(adapter: string): Image {
  let image = images.get(adapter);
  if (image === undefined) {
    const problem = buildahProblem();
    if (problem !== undefined) image = { problem };
    else {
      try {
        if (storage === undefined) {
          const created = new Buildah();
          process.once('exit', () => created.remove());
          storage = created;
        }
        image = { buildah: storage, name: buildAdapterImage(storage, adapter, ensureBaseImage()) };
      } catch (error) {
        image = { problem: (error as Error).message };
      }
    }
    images.set(adapter, image);
  }
  return image;
}

async function runFixture(
  fixture: ControllerFixture,
  start: (pod: ResolvedPod) => RunningAdapter,
  variant?: Variant,
): Promise<void> {
  const kube = await startKubeApiServer({
    tls: selfSignedCertificate(),
    namespaces: ['default', 'kube-system', 'knative-eventing'],
  });
  const oidc = fixture.oidc;
  const sink = await startRecordingSink(
    oidc ? { authorize: (header) => kube.verifyToken(header, oidc.audience, oidc.serviceAccount) } : {},
  );
  const world: World = { sink, kube, kubeUrl: kube.url, received: () => sink.events };
  let adapter: RunningAdapter | undefined;
  try {
    if (kube.get('v1', 'Namespace', undefined, fixture.pod.namespace) === undefined) {
      kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: fixture.pod.namespace } });
    }
    for (const object of fixture.objects?.(world) ?? []) kube.create(object);
    const pod = await resolvePod(fixture, world, variant?.env);
    const running = start(pod);
    adapter = running;
    const context = () => `\n--- adapter output ---\n${running.output()}`;

    for (const probe of [fixture.container.readinessProbe, fixture.container.livenessProbe]) {
      if (probe === undefined) continue;
      const url = probeUrl(fixture, probe);
      await waitFor(
        async () => {
          if (await settled(running.exited))
            throw new Error(`the adapter exited before ${url} answered 200${context()}`);
          return (await fetch(url).catch(() => undefined))?.status === 200;
        },
        { timeoutMs: READY_MS, what: `200 from ${url}` },
      );
    }

    // A variant's broken observability config may turn the Prometheus port off, as in Go.
    if (fixture.metricsPort !== undefined && variant === undefined) {
      const url = probeUrl(fixture, { path: 'metrics', port: fixture.metricsPort });
      const response = await fetch(url).catch((error: Error) => error);
      expect(
        response instanceof Response ? response.status : response.message,
        `GET ${url}${context()}`,
      ).toBe(200);
    }

    const expected = await fixture.scenario(world).catch((error: Error) => {
      throw new Error(
        `scenario: ${error.message}; rejected: ${JSON.stringify(sink.rejected.map((r) => r.reason))}${context()}`,
        { cause: error },
      );
    });
    await sink.waitForEvents(expected.length, EVENTS_MS).catch((error: Error) => {
      throw new Error(
        `${error.message}; rejected: ${JSON.stringify(sink.rejected.map((r) => r.reason))}${context()}`,
      );
    });
    expect(sink.events.map(asExpected), context()).toEqual(expected);
    if (oidc !== undefined) {
      expect(
        sink.rejected.map((r) => `${r.status} ${r.reason}`),
        context(),
      ).toEqual([]);
      for (const event of sink.events)
        expect(
          kube.verifyToken(event.headers.authorization, oidc.audience, oidc.serviceAccount),
        ).toBeUndefined();
    }
    if (variant !== undefined) {
      const warned = running
        .logs()
        .some((line) => line['level'] === 'warn' && JSON.stringify(line).includes(variant.warns));
      expect(warned, `a warning naming ${variant.warns}${context()}`).toBe(true);
    }
    expect(await running.stop(), context()).toBe(0);
  } finally {
    if (adapter !== undefined && !(await settled(adapter.exited)))
      await adapter.stop().catch(() => undefined);
    await Promise.all([sink.close(), kube.close()]);
  }
}

function asExpected(event: ReceivedEvent): { attributes: Readonly<Record<string, unknown>>; data?: unknown } {
  if (event.data === undefined) return { attributes: event.attributes };
  const type = String(event.attributes['datacontenttype'] ?? '');
  return { attributes: event.attributes, data: /json/.test(type) ? event.json() : event.text() };
}

async function settled(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  return (await Promise.race([promise, Promise.resolve(pending)])) !== pending;
}
