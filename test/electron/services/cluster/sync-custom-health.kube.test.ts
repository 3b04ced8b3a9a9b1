import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syncAppFromGit } from '../../../../electron/services/app-sync';
import { syncApp } from '../../../../electron/services/cluster/sync';
import { FleetService } from '../../../../electron/services/fleet-service';
import { LuaHealthRunner } from '../../../../electron/services/lua-health';
import type { KubeObject } from '../../../../shared/model/status';
import { commitAll, exampleRepo } from '../../../helpers/git-fixtures';
import { createNamespace, freshNamespace, retargetExample, useFleetAdmin } from '../../../helpers/kube-fleet';

// A sync's waves and hooks are judged by the fleet file's custom Lua checks before Argo CD's rules, as Argo CD's
// resource health overrides judge them: a ConfigMap (Healthy by default) that a check calls Progressing holds the
// next wave back until it says otherwise.

const kube = useFleetAdmin();

/** A ConfigMap is Progressing while its `ready` is "no", Healthy otherwise. */
const GATE_CHECK = `
if obj.data ~= nil and obj.data.ready == "no" then
  return {status = "Progressing", message = "custom: gate closed"}
end
return {status = "Healthy", message = "custom: gate open"}
`;

const gate = (ready: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gate', annotations: { 'argocd.argoproj.io/sync-wave': '0' } }, data: { ready } });
const after: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after', annotations: { 'argocd.argoproj.io/sync-wave': '1' } }, data: { k: 'v' } };
const lines = (rs: readonly { phase: string; kind: string; name: string; action: string }[]): string[] => rs.map((r) => `${r.phase} ${r.kind}/${r.name}: ${r.action}`);

const runners: LuaHealthRunner[] = [];
afterAll(() => runners.forEach((r) => r.close()));

describe('custom health checks in a sync', () => {
  it('hold a wave back while the check says Progressing, and let it through once it says Healthy', async () => {
    const lua = new LuaHealthRunner({ _ConfigMap: GATE_CHECK }, undefined, 'flotilla.yaml');
    runners.push(lua);
    // Without the check a ConfigMap is Healthy at once: both waves apply.
    const plain = freshNamespace('gate');
    const open = await syncApp(kube.dev, [gate('no'), after], { app: 'gate-plain', namespace: plain, createNamespace: true, waitForHealthy: { timeoutMs: 5_000, intervalMs: 100 } });
    expect(open.phase).toBe('Succeeded');

    const ns = freshNamespace('gate');
    const held = await syncApp(kube.dev, [gate('no'), after], { app: 'gate', namespace: ns, createNamespace: true, waitForHealthy: { timeoutMs: 1_500, intervalMs: 100 }, customHealth: lua });
    expect(held.phase).toBe('Failed');
    expect(held.message).toBe('Sync wave 0 did not become healthy within 1500 ms (ConfigMap/gate: Progressing custom: gate closed)');
    expect(lines(held.resources)).toEqual(['PreSync Namespace/' + ns + ': created', 'Sync ConfigMap/gate: created', 'Sync ConfigMap/after: skipped']);

    const through = await syncApp(kube.dev, [gate('yes'), after], { app: 'gate', namespace: ns, waitForHealthy: { timeoutMs: 5_000, intervalMs: 100 }, customHealth: lua });
    expect(through.phase).toBe('Succeeded');
    expect(lines(through.resources)).toEqual(['Sync ConfigMap/gate: configured', 'Sync ConfigMap/after: created']);
  });

  it("applies the fleet file's checks when an app is synced from Git", async () => {
    const repo = exampleRepo();
    try {
      retargetExample(kube.fleet, repo.dir);
      const ns = freshNamespace('gate-api');
      const file = path.join(repo.dir, 'flotilla.yaml');
      const indented = GATE_CHECK.trim().split('\n').map((l) => `        ${l}`).join('\n');
      writeFileSync(file, readFileSync(file, 'utf8').replace('spec:\n', `spec:\n  health:\n    customizations:\n      _ConfigMap: |\n${indented}\n`));
      const overlay = path.join(repo.dir, 'apps/api/overlays/dev');
      writeFileSync(path.join(overlay, 'gate.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gate\n  annotations:\n    argocd.argoproj.io/sync-wave: "-1"\ndata:\n  ready: "no"\n');
      const k = path.join(overlay, 'kustomization.yaml');
      writeFileSync(k, readFileSync(k, 'utf8').replace('namespace: api', `namespace: ${ns}`).replace('  - ../../base\n', '  - ../../base\n  - gate.yaml\n'));
      commitAll(repo.dir, 'api-dev waits for a gate');
      await createNamespace(kube.fleet, 'dev', ns);
      const res = await syncAppFromGit(await FleetService.open(repo.dir), { app: 'api-dev', cluster: 'dev', kubeconfig: [kube.fleet.kubeconfig], healthTimeoutMs: 1_500 });
      expect(res.phase).toBe('Failed');
      expect(res.message).toBe('Sync wave -1 did not become healthy within 1500 ms (ConfigMap/gate: Progressing custom: gate closed)');
      // The gate (wave -1) is applied; nothing of api-dev's wave 0 is (CreateNamespace's PreSync step aside).
      expect(res.resources.filter((r) => r.phase === 'Sync' && r.action !== 'skipped').map((r) => `${r.kind}/${r.name}`)).toEqual(['ConfigMap/gate']);
      expect(res.resources.filter((r) => r.phase === 'Sync' && r.action === 'skipped').map((r) => r.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Service']);
    } finally {
      repo.cleanup();
    }
  });
});
