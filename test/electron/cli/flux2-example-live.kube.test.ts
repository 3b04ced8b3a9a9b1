// fluxcd/flux2-kustomize-helm-example on the real test fleet, as its README deploys it: a fleet file names its clusters
// staging and production (on the fleet's dev and prod API servers); on each, the Kustomization `apps` is reconciled as
// kustomize-controller does (what Flotilla renders for it applied, the Kustomization given its Ready status and
// inventory). Then `flotilla diff` and `drift-report` name the Flux apps as `flotilla apps` does, find a hand edit on
// production through Flux's owner labels, say what Flux itself reports beside it, and report the HelmReleases whose
// charts live on the network as not compared, each for its own reason.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/model/status';
import { FLUX_CRDS, installControllerCrds } from '../../helpers/controller-crds';
import { FLUX_EXAMPLE_CLUSTERS, applyAs, fluxExampleRepo, reconcileApps } from '../../helpers/flux-example';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { freshNamespace, useKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

let fleet: LocalFleetState;
let repo: { dir: string; cleanup: () => void; head: string };
let data: string;
let ns: string;

const kc = (): string[] => ['--kubeconfig', fleet.kubeconfig];

type ReportEntry = {
  app: string; cluster: string; environment: string | null; sync: string; error: string | null;
  driftedResources: { kind: string; namespace: string; name: string; changedPaths: string[] }[];
  controller: { controller: string; kind: string; namespace: string; name: string } | null; controllerSays: string | null; controllerAgreement: string | null;
};

beforeAll(async () => {
  fleet = await useKubeFleet();
  ns = freshNamespace('podinfo');
  repo = fluxExampleRepo({ fleet, podinfoNamespace: ns });
  data = mkdtempSync(path.join(os.tmpdir(), 'flotilla-flux2-example-'));
  for (const [name, on] of Object.entries(FLUX_EXAMPLE_CLUSTERS)) {
    await installControllerCrds(fleet, on, FLUX_CRDS);
    const rendered = await cli(['render', '--app', `flux-system/apps@${name}`, '--repo', repo.dir]);
    expect(rendered.code, rendered.err).toBe(0);
    const objects = parseAllDocuments(rendered.out).map((d) => d.toJS() as KubeObject);
    const ks = parseAllDocuments(readFileSync(path.join(repo.dir, 'clusters', name, 'apps.yaml'), 'utf8'))[0]!.toJS() as KubeObject;
    await reconcileApps(fleet, on, objects, ks, `main@sha1:${repo.head}`);
  }
}, 120_000);

afterAll(() => {
  repo?.cleanup();
  if (data) rmSync(data, { recursive: true, force: true });
});

describe('flux2-kustomize-helm-example on real clusters', () => {
  it('diff: each Flux app by its name, in sync once reconciled, a hand edit found through the owner labels', async () => {
    for (const name of Object.keys(FLUX_EXAMPLE_CLUSTERS)) {
      const clean = await cli(['diff', `flux-system/apps@${name}`, '--repo', repo.dir, ...kc()]);
      expect(clean.out).toBe('');
      expect(clean.code, clean.err).toBe(0);
    }
    // Someone raises redis's tag on production by hand.
    await applyAs(fleet, FLUX_EXAMPLE_CLUSTERS.production, { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo', namespace: ns }, spec: { values: { redis: { tag: '7.2.4' } } } } as KubeObject, 'kubectl-edit');
    const drifted = await cli(['diff', 'flux-system/apps@production', '--repo', repo.dir, ...kc()]);
    expect(drifted.code, drifted.err).toBe(1);
    expect(drifted.out).toContain(`===== helm.toolkit.fluxcd.io/HelmRelease ${ns}/podinfo ======`);
    expect(drifted.out).toContain('-      tag: "7.2.4"\n+      tag: "7.0.6"\n');
    // Staging is untouched; its HelmRelease is the same object name in another cluster.
    expect((await cli(['diff', 'flux-system/apps@staging', '--repo', repo.dir, ...kc()])).code).toBe(0);
  });

  it("drift report: Flux apps named as `flotilla apps` names them, with Flux's own word beside Flotilla's", async () => {
    const refreshed = await cli(['refresh', '--repo', repo.dir, '--data-dir', data, ...kc()]);
    expect(refreshed.err).not.toMatch(/unreachable/);
    const report = await cli(['drift-report', '--offline', '--repo', repo.dir, '--data-dir', data, '-f', 'json']);
    expect(report.code, report.err).toBe(1);
    const entries = (JSON.parse(report.out) as { entries: ReportEntry[] }).entries;
    const apps = await cli(['apps', '-o', 'json', '--repo', repo.dir]);
    const names = (JSON.parse(apps.out) as { name: string }[]).map((a) => a.name).sort();
    expect(entries.map((e) => e.app).sort()).toEqual(names);
    const entry = (app: string): ReportEntry => entries.find((e) => e.app === app)!;
    const short = repo.head.slice(0, 7);

    expect(entry('flux-system/apps@staging')).toMatchObject({
      cluster: 'staging', environment: 'staging', sync: 'Synced', driftedResources: [], controllerAgreement: 'agree',
      controller: { controller: 'Flux', kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
      controllerSays: `Flux says Ready (ReconciliationSucceeded) at main@sha1:${short}; Flotilla sees it in sync`,
    });
    expect(entry('flux-system/apps@production')).toMatchObject({
      cluster: 'production', sync: 'OutOfSync', controllerAgreement: 'disagree',
      driftedResources: [{ kind: 'HelmRelease', namespace: ns, name: 'podinfo', changedPaths: ['/spec/values/redis/tag'] }],
      controllerSays: `Flux says Ready (ReconciliationSucceeded) at main@sha1:${short}; Flotilla sees 1 object differing`,
    });
    // The HelmRelease the Kustomization applied is an app of its own; its chart is on the network, so it is not compared,
    // and Flux (its HelmRelease, applied but never reconciled here) has not reported on it.
    const podinfo = entry(`${ns}/podinfo@production`);
    expect(podinfo).toMatchObject({ cluster: 'production', sync: 'Unknown', controllerSays: `Flux has not reported on HelmRelease ${ns}/podinfo yet; Flotilla could not compare (${podinfo.error})` });
    expect(podinfo.error).toMatch(/helm|chart/i);
    // Nothing of infrastructure was applied: its Kustomizations' objects are missing, not silently in sync.
    expect(entry('flux-system/infra-controllers@staging').sync).not.toBe('Synced');

    const md = await cli(['drift-report', '--offline', '--repo', repo.dir, '--data-dir', data, '-f', 'md']);
    expect(md.out).toContain('### flux-system/apps@production on production (production)');
    expect(md.out).toContain(`**Controller disagrees**: Flux says Ready \\(ReconciliationSucceeded\\) at main@sha1:${short}; Flotilla sees 1 object differing`);
    const junit = await cli(['drift-report', '--offline', '--repo', repo.dir, '--data-dir', data, '-f', 'junit']);
    expect(junit.out).toContain('<testcase classname="production.production" name="flux-system/apps@production">');
  });
});
