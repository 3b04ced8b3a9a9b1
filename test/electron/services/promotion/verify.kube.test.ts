import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterManager } from '../../../../electron/services/cluster/cluster-manager';
import { FleetStore } from '../../../../electron/store/fleet-store';
import { syncApp } from '../../../../electron/services/cluster/sync';
import { PromotionService } from '../../../../electron/services/promotion/promotion-service';
import { verifyPromotion } from '../../../../electron/services/promotion/verify';
import { fleetClusters, generateAll } from '../../../../shared/fleet/overview';
import { renderApplication } from '../../../../shared/fleet/render-apps';
import { scanRepository } from '../../../../shared/repo/scan';
import { commitAll, git } from '../../../helpers/git-fixtures';
import type { LocalFleetState } from '../../../helpers/kube-fleet';
import { freshNamespace, kubeRequest, useKubeFleet } from '../../../helpers/kube-fleet';
import type { Fleet } from './fleet-fixture';
import { promotionFleet, STAGING } from './fleet-fixture';

// Verification against real clusters: the promoted commit is applied with the cluster layer's sync (as the GitOps
// tool would); the fleet's controllers roll the Deployment out (kube-controller-manager, kube-scheduler, kwok), and
// nothing's status is written by the test (the example's HPA is in prod only: no metrics pipeline runs here).

let kube: LocalFleetState;
let f: Fleet;
let ns: string;
let manager: ClusterManager;

beforeAll(async () => {
  kube = await useKubeFleet();
  f = promotionFleet(Date.now());
  ns = freshNamespace('promo');
  const clusters = kube.clusters.map((c) => `    - name: ${c.name}\n      context: ${c.context}\n      server: ${c.server}\n      environment: ${c.name}\n`).join('');
  const fleetFile = path.join(f.work, 'flotilla.yaml');
  writeFileSync(fleetFile, readFileSync(fleetFile, 'utf8').replace(/ {2}clusters:\n[\s\S]*$/, `  clusters:\n${clusters}`));
  const staging = path.join(f.work, STAGING);
  writeFileSync(staging, readFileSync(staging, 'utf8').replace('namespace: frontend', `namespace: ${ns}`));
  commitAll(f.work, 'Point the fleet at the test clusters');
  git(f.work, 'push', '-q', 'origin', 'main');
  manager = ClusterManager.fromKubeconfig({ kubeconfigPaths: [kube.kubeconfig], clusters: kube.clusters.map((c) => ({ name: c.name, context: c.context, labels: {}, annotations: {} })) });
});

afterAll(() => manager?.close());

describe('verification of a promotion on a real cluster', () => {
  it('fails after the timeout while the target is not applied, then sees it Synced and Healthy at the new commit', async () => {
    const svc = await PromotionService.open(f.work, { storeFile: f.storeFile });
    // The plan against the live state: nothing of frontend-staging runs yet in the fresh namespace.
    const planned = await svc.plan({ from: 'dev', to: 'staging', apps: ['frontend'], live: { kubeconfig: [kube.kubeconfig] } });
    expect(planned.live).toHaveLength(1);
    expect(planned.live![0]).toMatchObject({ app: 'frontend', cluster: 'staging', application: 'frontend-staging', sync: 'OutOfSync' });
    expect(planned.live![0]!.resources.filter((r) => r.missing).map((r) => r.id).sort()).toEqual([
      `/ConfigMap/${ns}/frontend-config-8ch7h2kbkc`, `/Service/${ns}/frontend`, `apps/Deployment/${ns}/frontend`,
    ].sort());
    const out = await svc.execute({ from: 'dev', to: 'staging', apps: ['frontend'] });
    expect(out.blockers).toEqual([]);
    const commit = out.record.commit!;

    const failed = await verifyPromotion(svc, out.record.id, { kubeconfig: [kube.kubeconfig], timeoutMs: 1500, intervalMs: 300 });
    expect(failed.result).toBe('verify-failed');
    expect(failed.message).toMatch(/^not Synced and Healthy after 2s: frontend-staging on staging is OutOfSync\/Missing/);

    // The GitOps tool's part: apply the promoted commit's render of frontend-staging.
    const tree = svc.repo.treeAt(commit);
    const scan = scanRepository(tree);
    const app = generateAll(scan, { treeAt: () => tree }).appsets.flatMap((s) => s.apps).find((a) => a.name === 'frontend-staging')!.application;
    const rendered = renderApplication(app, { treeAt: () => tree }, { clusters: fleetClusters(scan), loadRestrictor: 'rootOnly' });
    expect(rendered.objects.find((o) => o.kind === 'Deployment')!).toMatchObject({ spec: { template: { spec: { containers: [expect.objectContaining({ image: 'ghcr.io/example/frontend:1.8.0' })] } } } });
    const synced = await syncApp(manager.connection('staging'), rendered.objects, { app: 'frontend-staging', namespace: ns, createNamespace: true });
    expect(synced.phase).toBe('Succeeded');

    // The controllers roll the Deployment out by themselves; nothing's status is written by the test.

    const verified = await verifyPromotion(svc, out.record.id, { kubeconfig: [kube.kubeconfig], timeoutMs: 30_000, intervalMs: 500 });
    expect(verified).toMatchObject({ result: 'verified', message: 'Synced and Healthy: frontend-staging on staging', commit });
    const dep = (await kubeRequest(kube, 'staging', 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/frontend`)).body as { status: { availableReplicas: number } };
    expect(dep.status.availableReplicas).toBeGreaterThan(0);
    // An unreachable cluster is reported on its row, never as a failure of the plan.
    const offline = await svc.plan({ from: 'dev', to: 'staging', apps: ['worker'], live: { kubeconfig: [path.join(path.dirname(f.storeFile), 'no-such-kubeconfig')], timeoutMs: 2000 } });
    expect(offline.plan.apps[0]!.edits).toHaveLength(1);
    expect(offline.live).toHaveLength(1);
    expect(offline.live![0]!.error).toMatch(/^cluster staging is /);
  });

  it('reports a rollout that fails on the controllers as a failed verification, and a rollback restores the app', async () => {
    const g = promotionFleet(Date.now());
    const rbNs = freshNamespace('rollback');
    const clusters = kube.clusters.map((c) => `    - name: ${c.name}\n      context: ${c.context}\n      server: ${c.server}\n      environment: ${c.name}\n`).join('');
    const edit = (file: string, from: string | RegExp, to: string): void => {
      const p = path.join(g.work, file);
      const before = readFileSync(p, 'utf8');
      const after = before.replace(from, to);
      expect(after, file).not.toBe(before);
      writeFileSync(p, after);
    };
    edit('flotilla.yaml', / {2}clusters:\n[\s\S]*$/, `  clusters:\n${clusters}`);
    edit('apps/api/overlays/staging/kustomization.yaml', 'namespace: api', `namespace: ${rbNs}`);
    // A rollout that cannot finish fails fast (3 s), and dev now runs an image that never starts (kwok: `:fail`).
    edit('apps/api/base/deployment.yaml', 'spec:\n  replicas: 1\n', 'spec:\n  replicas: 1\n  progressDeadlineSeconds: 3\n');
    commitAll(g.work, 'Point the fleet at the test clusters; fail fast');
    git(g.work, 'push', '-q', 'origin', 'main');
    const svc = await PromotionService.open(g.work, { storeFile: g.storeFile });
    const conn = manager.connection('staging');
    /** The GitOps tool's part: sync api-staging as rendered at a commit, waiting for health (as Argo CD's waves do). */
    const syncAt = async (commit: string): Promise<void> => {
      const tree = svc.repo.treeAt(commit);
      const scan = scanRepository(tree);
      const app = generateAll(scan, { treeAt: () => tree }).appsets.flatMap((s) => s.apps).find((a) => a.name === 'api-staging')!.application;
      const rendered = renderApplication(app, { treeAt: () => tree }, { clusters: fleetClusters(scan), loadRestrictor: 'rootOnly' });
      const r = await syncApp(conn, rendered.objects, { app: 'api-staging', namespace: rbNs, createNamespace: true });
      expect(r.phase, JSON.stringify(r.resources.filter((x) => x.problem))).toBe('Succeeded');
    };
    await syncAt(g.remoteHead());

    edit('apps/api/overlays/dev/kustomization.yaml', 'newTag: "2.4.0"', 'newTag: "fail"');
    const devCommit = commitAll(g.work, 'dev runs api:fail');
    git(g.work, 'push', '-q', 'origin', 'main');
    // The store's history says dev ran it Synced and Healthy past the soak (the failure shows only in staging here).
    const store = FleetStore.open(g.storeFile);
    for (const ago of [2 * 3_600_000, 60_000]) {
      const at = new Date(Date.now() - ago).toISOString();
      store.recordSnapshot({ takenAt: at, appClusters: [{ environment: 'dev', status: { app: 'api-dev', cluster: 'dev', revision: devCommit, sync: 'Synced', health: { status: 'Healthy', message: '' }, resources: [], observedAt: at } }] });
    }
    store.close();
    const out = await svc.execute({ from: 'dev', to: 'staging', apps: ['api'] });
    expect(out.blockers).toEqual([]);
    await syncAt(out.record.commit!);
    const failed = await verifyPromotion(svc, out.record.id, { kubeconfig: [kube.kubeconfig], timeoutMs: 20_000, intervalMs: 500 });
    expect(failed.result).toBe('verify-failed');
    // Degraded, with the Pod's reason: the image cannot be pulled.
    expect(failed.message).toMatch(/api-staging on staging is Synced\/Degraded \(Deployment "api" exceeded its progress deadline; Pod api-[a-z0-9-]+: ErrImagePull: failed to pull image "ghcr\.io\/example\/api:fail": not found\)/);
    const pods = (await kubeRequest(kube, 'staging', 'GET', `/api/v1/namespaces/${rbNs}/pods`)).body.items as { spec: { containers: { image: string }[] }; status: { containerStatuses?: { state: { waiting?: { reason: string } } }[] } }[];
    const stuck = pods.filter((p) => p.spec.containers[0]!.image.endsWith(':fail'));
    expect(stuck.length).toBeGreaterThan(0);
    expect(stuck[0]!.status.containerStatuses![0]!.state.waiting!.reason).toBe('ErrImagePull');

    const back = await svc.rollback(out.record.id);
    await syncAt(back.record.commit!);
    const restored = await verifyPromotion(svc, back.record.id, { kubeconfig: [kube.kubeconfig], timeoutMs: 30_000, intervalMs: 500 });
    expect(restored).toMatchObject({ result: 'verified', message: 'Synced and Healthy: api-staging on staging' });
    const dep = (await kubeRequest(kube, 'staging', 'GET', `/apis/apps/v1/namespaces/${rbNs}/deployments/api`)).body as { spec: { template: { spec: { containers: { image: string }[] } } }; status: { availableReplicas: number } };
    expect(dep.spec.template.spec.containers[0]!.image).toBe('ghcr.io/example/api:2.4.0');
    expect(dep.status.availableReplicas).toBe(2);
  });

  it("judges the target's health by the promoted commit's custom Lua checks, as the grid does", async () => {
    const g = promotionFleet(Date.now());
    const cNs = freshNamespace('custom');
    const clusters = kube.clusters.map((c) => `    - name: ${c.name}\n      context: ${c.context}\n      server: ${c.server}\n      environment: ${c.name}\n`).join('');
    const p = path.join(g.work, 'flotilla.yaml');
    // A policy of this fleet: a Deployment is Healthy only once someone approved it.
    const check = ['if obj.metadata.annotations ~= nil and obj.metadata.annotations["example.com/approved"] == "true" then', '  return {status = "Healthy", message = "custom: approved"}', 'end', 'return {status = "Degraded", message = "custom: not approved"}'];
    const health = `  health:\n    customizations:\n      apps_Deployment: |\n${check.map((l) => `        ${l}`).join('\n')}\n`;
    writeFileSync(p, readFileSync(p, 'utf8').replace(/ {2}clusters:\n[\s\S]*$/, `${health}  clusters:\n${clusters}`));
    writeFileSync(path.join(g.work, STAGING), readFileSync(path.join(g.work, STAGING), 'utf8').replace('namespace: frontend', `namespace: ${cNs}`));
    commitAll(g.work, 'Point the fleet at the test clusters; Deployments need an approval');
    git(g.work, 'push', '-q', 'origin', 'main');
    const svc = await PromotionService.open(g.work, { storeFile: g.storeFile });
    const out = await svc.execute({ from: 'dev', to: 'staging', apps: ['frontend'] });
    expect(out.blockers).toEqual([]);
    const tree = svc.repo.treeAt(out.record.commit!);
    const scan = scanRepository(tree);
    const app = generateAll(scan, { treeAt: () => tree }).appsets.flatMap((s) => s.apps).find((a) => a.name === 'frontend-staging')!.application;
    const rendered = renderApplication(app, { treeAt: () => tree }, { clusters: fleetClusters(scan), loadRestrictor: 'rootOnly' });
    expect((await syncApp(manager.connection('staging'), rendered.objects, { app: 'frontend-staging', namespace: cNs, createNamespace: true, waitForHealthy: { timeoutMs: 30_000 } })).phase).toBe('Succeeded');
    // The controllers made it Available (Argo CD's own rule says Healthy), yet the fleet's check says not approved.
    const failed = await verifyPromotion(svc, out.record.id, { kubeconfig: [kube.kubeconfig], timeoutMs: 3_000, intervalMs: 500 });
    expect(failed.result).toBe('verify-failed');
    expect(failed.message).toMatch(/frontend-staging on staging is Synced\/Degraded \(custom: not approved/);
  });
});
