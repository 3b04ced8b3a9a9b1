// The app page's live views in Chromium against `flotilla serve`, on the example fleet synced to the run's real
// clusters (controller manager, scheduler and kwok): the resource tree shows the Pods under their ReplicaSet under the
// Deployment, with health per node and the Kubernetes events; a Pod's logs come from kwok's kubelet through the API
// server and the Node side; the live manifest of a Secret-free resource and events stay readable (axe-clean); the Tree
// and Events tabs share one read of the cluster.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAccessibility, shoot } from '../helpers/browser';
import { commitAll } from '../helpers/git-fixtures';
import { createNamespace, freshNamespace } from '../helpers/kube-fleet';
import { cli } from '../helpers/run-cli';
import { openApp, useServedFleet } from '../helpers/served-ui';

// Its own namespace and app names (live-api-dev, …): objects carry their app's tracking id, so another test file's
// api-dev on the shared fleet would count this test's objects as its own (extra, OutOfSync), and the other way round.
const ns = freshNamespace('live-api');

const ui = useServedFleet({
  prepare: async ({ repo, fleet }) => {
    const overlay = path.join(repo, 'apps/api/overlays/dev/kustomization.yaml');
    writeFileSync(overlay, readFileSync(overlay, 'utf8').replace('namespace: api', `namespace: ${ns}`));
    const appset = path.join(repo, 'appsets/apps.yaml');
    writeFileSync(appset, readFileSync(appset, 'utf8').replace("name: '{{.path.basename}}-{{.name}}'", "name: 'live-{{.path.basename}}-{{.name}}'"));
    await createNamespace(fleet, 'dev', ns);
    commitAll(repo, 'Point the example fleet at the test clusters');
    // The sync applies live-api-dev; the controllers then create its ReplicaSet and a Pod that becomes Ready on a kwok Node.
    const r = await cli(['sync', 'live-api-dev', '--cluster', 'dev', '--repo', repo, '--kubeconfig', fleet.kubeconfig]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  },
});

describe('the app page shows the live tree, events and logs', () => {
  it('shows the Pod under its ReplicaSet under the Deployment, with events, and the Pod container logs', async () => {
    const { page, errors } = await openApp(ui, 'live api dev', /live-api-dev on dev/);
    // The Tree and Events tabs share one live read of the cluster (counted here), read again on Reload.
    let treeReads = 0;
    page.on('request', (req) => {
      if (req.url().includes(`/api/invoke/${encodeURIComponent('app:tree')}`)) treeReads++;
    });

    await page.getByRole('tab', { name: 'Tree' }).click();
    const tree = page.getByRole('table', { name: 'Resource tree' });
    await tree.waitFor({ timeout: 20_000 });
    const rows = tree.locator('tbody tr');
    // Rows in tree order with their depth: the Pod (level 3) follows its ReplicaSet (level 2) under the Deployment (level 1).
    const shape = await rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-depth')} ${tr.querySelector('.kind')?.textContent ?? ''} ${tr.querySelector('td')?.textContent?.trim() ?? ''} ${tr.getAttribute('data-namespace') ?? ''}`));
    const dep = shape.findIndex((s) => s.startsWith('1 Deployment') && s.endsWith(` ${ns}`));
    expect(dep, shape.join('\n')).toBeGreaterThanOrEqual(0);
    expect(shape[dep]).toContain('Healthy');
    expect(shape[dep + 1]).toMatch(/^2 ReplicaSet .*Healthy/);
    expect(shape[dep + 2]).toMatch(/^3 Pod .*Healthy/);
    expect(shape.filter((s) => s.startsWith('1 '))).toEqual(expect.arrayContaining([expect.stringMatching(/^1 Service/), expect.stringMatching(/^1 ConfigMap/)]));
    const podRow = rows.nth(dep + 2);
    expect(await podRow.textContent()).toMatch(/Running · 1\/1 ready · node kwok-node-/);
    expect(await podRow.textContent()).toContain('live only');
    await shoot(page, 'app-page-tree');
    await checkAccessibility(page, 'app page (tree)');

    // The Pod: logs first (its one container), as kwok's kubelet serves them through the API server.
    await podRow.getByRole('button', { name: /^Pod api-/ }).click();
    const logs = page.getByLabel(/^Logs of api-.* api$/);
    await expect.poll(() => logs.textContent(), { timeout: 15_000 }).toContain('simulated by kwok: serving on cluster dev');
    expect(await page.getByRole('combobox', { name: 'Container' }).inputValue()).toBe('api');
    await page.getByRole('checkbox', { name: 'Follow' }).check();
    await shoot(page, 'app-page-pod-logs');
    await checkAccessibility(page, 'app page (pod logs)');
    // A previous instance that never existed is an error naming the Pod, not an empty success.
    await page.getByRole('checkbox', { name: 'Follow' }).uncheck();
    await page.getByRole('checkbox', { name: 'Previous instance' }).check();
    await expect.poll(() => page.getByRole('region', { name: /^Pod api-/ }).getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(new RegExp(`logs of api in Pod ${ns}/api-\\S+ \\(previous\\)`));
    await page.getByRole('checkbox', { name: 'Previous instance' }).uncheck();

    // The Pod's events (Scheduled by the scheduler) and its live manifest.
    const details = page.getByRole('region', { name: /^Pod api-/ });
    await details.getByRole('tab', { name: /^Events/ }).click();
    expect(await details.getByRole('table', { name: /^Events of Pod api-/ }).textContent()).toContain('Scheduled');
    await details.getByRole('tab', { name: 'Manifest' }).click();
    await expect.poll(() => details.getByLabel('Live manifest').textContent()).toContain('nodeName: kwok-node-');
    expect(await details.textContent()).toContain('Not in Git');

    // The app's events: the Deployment's, its ReplicaSet's and its Pod's.
    await page.getByRole('tab', { name: 'Events', exact: true }).click();
    const events = page.getByRole('table', { name: 'Events', exact: true });
    await events.waitFor({ timeout: 20_000 });
    const text = await events.textContent();
    expect(text).toContain('ScalingReplicaSet');
    expect(text).toContain('SuccessfulCreate');
    expect(text).toContain('Scheduled');
    expect(treeReads).toBe(1);
    await page.getByRole('tabpanel', { name: 'Events' }).getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => treeReads).toBe(2);
    await expect.poll(() => page.getByRole('tabpanel', { name: 'Events' }).getByRole('button', { name: 'Reload' }).isEnabled()).toBe(true);
    expect(await events.textContent()).toContain('ScalingReplicaSet');
    await shoot(page, 'app-page-events');
    await checkAccessibility(page, 'app page (events)');
    expect(errors).toEqual([]);
  });
});
