// The cluster page in Chromium against `flotilla serve`, on the example fleet pointed at the run's real clusters
// (API server, controllers, kwok Nodes): its connection and version, Nodes, Namespaces, the apps Git deploys there,
// and the Argo CD and Flux objects on it (CRDs and objects created here, as another client would). Clusters rows
// open it, the palette switches clusters, and it has a URL (reload and Back keep it).
import { expect, describe, it } from 'vitest';
import { checkAccessibility, shoot } from '../helpers/browser';
import { commitAll } from '../helpers/git-fixtures';
import { createNamespace, freshNamespace, kubeRequest } from '../helpers/kube-fleet';
import { openUi, useServedFleet } from '../helpers/served-ui';

const ns = freshNamespace('cluster-page');

/** A CRD with an open schema and a status subresource, as Argo CD's and Flux's are served. */
const crd = (group: string, version: string, kind: string, plural: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.${group}` },
  spec: {
    group, scope: 'Namespaced', names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
    versions: [{ name: version, served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
});

/** Creates an object once its CRD is served, then sets its status as its controller would. */
async function createWithStatus(base: string, body: Record<string, unknown>, status: Record<string, unknown>): Promise<void> {
  // A CRD is served a moment after it is created (setup runs outside a test: no expect.poll here).
  const deadline = Date.now() + 20_000;
  let created = await kubeRequest(ui.fleet, 'staging', 'POST', base, body);
  while (created.status !== 201 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    created = await kubeRequest(ui.fleet, 'staging', 'POST', base, body);
  }
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const name = (body['metadata'] as { name: string }).name;
  const patched = await kubeRequest(ui.fleet, 'staging', 'PATCH', `${base}/${name}/status`, { status }, { contentType: 'application/merge-patch+json' });
  expect(patched.status).toBe(200);
}

const ui = useServedFleet({
  prepare: async ({ repo, fleet }) => {
    commitAll(repo, 'Point the example fleet at the test clusters');
    for (const c of [crd('argoproj.io', 'v1alpha1', 'Application', 'applications'), crd('kustomize.toolkit.fluxcd.io', 'v1', 'Kustomization', 'kustomizations')]) {
      expect([201, 409]).toContain((await kubeRequest(fleet, 'staging', 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', c)).status);
    }
    await createNamespace(fleet, 'staging', ns);
    await createWithStatus(
      `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications`,
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop-staging' }, spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } } },
      { sync: { status: 'OutOfSync', revision: 'abc1234' }, health: { status: 'Degraded', message: 'Deployment shop exceeded its progress deadline' } },
    );
    await createWithStatus(
      `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${ns}/kustomizations`,
      { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'podinfo' }, spec: { interval: '10m', path: './apps/staging', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } },
      { lastAppliedRevision: 'main@sha1:0123456789abcdef', conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:0123456789abcdef', lastTransitionTime: new Date().toISOString() }] },
    );
  },
});

describe('the cluster page', () => {
  it('opens from the Clusters row: connection, version, Nodes, Namespaces, the apps from Git, Argo CD and Flux objects', async () => {
    const { page, errors } = await openUi(ui, { viewport: { width: 1440, height: 1400 }, hash: '#/clusters' });
    const clusters = page.getByRole('table', { name: 'Clusters' });
    await clusters.getByRole('button', { name: 'staging', exact: true }).click({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Cluster staging' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/clusters/staging');

    const facts = page.getByRole('definition');
    await expect.poll(() => facts.first().textContent(), { timeout: 20_000 }).toMatch(/^ready since \d+ (s|min) ago/);
    expect(await facts.nth(1).textContent()).toMatch(/^v1\.32\.\d+/);
    const nodes = page.getByRole('table', { name: 'Nodes' });
    await nodes.waitFor();
    const nodeRows = await nodes.locator('tbody tr').allTextContents();
    expect(nodeRows.length).toBe(3);
    for (const r of nodeRows) expect(r).toMatch(/^kwok-node-\d+Ready/);
    expect(await page.getByRole('heading', { name: /^Nodes/ }).textContent()).toBe('Nodes · 3 of 3 Ready');
    const namespaces = await page.getByRole('table', { name: 'Namespaces' }).getByRole('rowheader').allTextContents();
    expect(namespaces).toEqual(expect.arrayContaining(['default', 'kube-system']));
    const allNs = [...namespaces, ...(await page.getByRole('table', { name: 'More Namespaces' }).getByRole('rowheader').allTextContents().catch(() => []))];
    expect(allNs).toContain(ns);

    const apps = page.getByRole('table', { name: 'Applications on staging' });
    expect(await apps.getByRole('rowheader').allTextContents()).toEqual(['api-staging', 'frontend-staging', 'hello', 'platform-staging', 'worker-staging']);
    await expect.poll(() => apps.getByRole('row', { name: /^frontend-staging/ }).getByRole('cell').nth(2).textContent()).toBe('1.7.2');

    const gitops = page.getByRole('table', { name: 'Argo CD and Flux objects on staging' });
    const argo = gitops.getByRole('row', { name: new RegExp(`^Application ${ns}/shop-staging`) });
    expect(await argo.textContent()).toBe(`Application ${ns}/shop-stagingArgo CD≠ OutOfSync ✖ Degradedabc1234Deployment shop exceeded its progress deadline`);
    const flux = gitops.getByRole('row', { name: new RegExp(`^Kustomization ${ns}/podinfo`) });
    expect(await flux.textContent()).toBe(`Kustomization ${ns}/podinfoFlux Readymain@sha1:0123456789…Applied revision: main@sha1:0123456789abcdef`);
    await shoot(page, 'cluster-page');
    await checkAccessibility(page, 'cluster page');

    // The palette switches clusters; the page follows the URL (Back, reload).
    await page.keyboard.press('Control+K');
    await page.getByRole('combobox', { name: /Find an app/ }).fill('open cluster prod');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Cluster prod' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/clusters/prod');
    await page.getByRole('table', { name: 'Applications on prod' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Cluster prod' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Cluster staging' }).waitFor();
    // After Back the page shows staging even when prod's read (started by the reload) answers last.
    await page.getByRole('table', { name: 'Nodes' }).waitFor({ timeout: 20_000 });

    // From an app's page, the palette moves the same app to another cluster (its tab kept).
    await page.getByRole('table', { name: 'Applications on staging' }).getByRole('button', { name: 'frontend-staging' }).click();
    await page.getByRole('heading', { name: /frontend-staging on staging/ }).waitFor();
    await page.keyboard.press('Control+K');
    await page.getByRole('combobox', { name: /Find an app/ }).fill('switch frontend');
    expect(await page.getByRole('listbox', { name: 'Matches' }).getByRole('option').allTextContents()).toEqual(['cluster Switch frontend to cluster dev', 'cluster Switch frontend to cluster prod']);
    await page.getByRole('option', { name: /to cluster prod/ }).click();
    await page.getByRole('heading', { name: /frontend-prod on prod/ }).waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#\/apps\/frontend-prod\/prod/);
    expect(errors).toEqual([]);
  });

  it('says so when a cluster is not in the fleet file, naming the known ones', async () => {
    const page = await ui.browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(`${ui.serve.url}#/clusters/nowhere`);
    await page.getByRole('heading', { name: 'Cluster nowhere' }).waitFor();
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 15_000 }).toContain('no cluster nowhere in the fleet file (known: dev, staging, prod)');
  });
});
