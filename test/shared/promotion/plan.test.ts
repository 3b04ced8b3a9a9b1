import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateAll, fleetClusters } from '../../../shared/fleet/overview';
import type { GateContext } from '../../../shared/promotion/gates';
import { parsePipelineFile } from '../../../shared/promotion/pipeline';
import type { PlanInput } from '../../../shared/promotion/plan';
import { planBlockers, planPromotion } from '../../../shared/promotion/plan';
import { MemoryFileTree, walkFiles } from '../../../shared/repo/file-tree';
import { scanRepository } from '../../../shared/repo/scan';
import type { TimelineEntry } from '../../../shared/report/model';
import { repoRoot } from '../../helpers/paths';

const EXAMPLE = path.join(repoRoot, 'examples', 'fleet');

function exampleTree(overrides: Record<string, string> = {}): MemoryFileTree {
  const fsTree = new MemoryFileTree();
  const list = (dir: string): string[] => {
    return readdirSync(path.join(EXAMPLE, dir)).flatMap((n) => {
      const rel = dir ? `${dir}/${n}` : n;
      return statSync(path.join(EXAMPLE, rel)).isDirectory() ? list(rel) : [rel];
    });
  };
  for (const f of list('')) fsTree.set(f, readFileSync(path.join(EXAMPLE, f), 'utf8'));
  for (const [f, t] of Object.entries(overrides)) fsTree.set(f, t);
  return new MemoryFileTree(walkFiles(fsTree).map((f) => [f, fsTree.read(f)!] as const), 'a'.repeat(40));
}

const NOW = Date.parse('2026-11-18T12:00:00Z'); // a Wednesday, outside the Friday-evening freeze

function healthyFor(ms: number, now = NOW, observedAgo = 60_000): (app: string, cluster: string) => TimelineEntry[] {
  return () => [{ since: new Date(now - ms).toISOString(), revision: 'r', sync: 'Synced', health: { status: 'Healthy', message: '' }, resourceCount: 3, driftedCount: 0, lastObservedAt: new Date(now - observedAgo).toISOString() }];
}

/**
 * The input with a signed approval of its plan by platform-leads: git's verdict on the record as the Node side hands it
 * over (a good signature); the real signing and verification are tested in test/electron/services/promotion/approvals.test.ts.
 */
function approved(inp: PlanInput): PlanInput {
  const digest = planPromotion(inp).digest!;
  const signature = { commit: 'c'.repeat(40), status: 'good' as const, format: 'ssh' as const, signer: 'platform-leads', key: 'SHA256:lead' };
  return { ...inp, gates: { ...inp.gates, approvals: [{ kind: 'promotion', pipeline: inp.pipeline.name, stage: inp.request.to, digest, subject: '', commit: signature.commit, signature }] } };
}

function input(tree: MemoryFileTree, over: Partial<Omit<PlanInput, 'gates'>> & { gates?: Partial<GateContext> } = {}): PlanInput {
  const scan = scanRepository(tree);
  const git = { treeAt: () => tree };
  const { appsets } = generateAll(scan, git);
  const parsed = parsePipelineFile(tree.read('pipeline.yaml')!, 'pipeline.yaml');
  expect(parsed.problems).toEqual([]);
  return {
    pipeline: parsed.pipelines[0]!,
    request: { from: 'dev', to: 'staging', apps: ['frontend'] },
    tree,
    clusters: fleetClusters(scan),
    applications: appsets.flatMap((s) => s.apps.map((a) => ({ application: a.application, appset: s.name }))),
    ...over,
    gates: { now: NOW, confirmation: 'flag', history: healthyFor(3_600_000), ...over.gates },
  };
}

describe('planPromotion', () => {
  it('edits only the image tag of the target overlay, keeping the rest of the file byte for byte', () => {
    const tree = exampleTree();
    const plan = planPromotion(approved(input(tree, { request: { from: 'staging', to: 'prod', apps: ['api'] } })));
    expect(planBlockers(plan)).toEqual([]);
    const api = plan.apps[0]!;
    expect(api.moves).toEqual([{ kind: 'image', name: 'ghcr.io/example/api', file: 'apps/api/overlays/prod/kustomization.yaml', line: 10, from: 'ghcr.io/example/api:2.3.1', to: 'ghcr.io/example/api:2.4.0' }]);
    expect(api.edits).toHaveLength(1);
    const before = tree.read('apps/api/overlays/prod/kustomization.yaml')!;
    expect(api.edits[0]!.after).toBe(before.replace('newTag: "2.3.1"', 'newTag: "2.4.0"'));
    expect(plan.ready).toBe(true);
  });

  it('renders the target stage with the edit and shows the image change per target cluster', () => {
    const plan = planPromotion(approved(input(exampleTree(), { request: { from: 'staging', to: 'prod', apps: ['api'] } })));
    const clusters = plan.apps[0]!.clusters;
    expect(clusters.map((c) => [c.cluster, c.application, c.namespace])).toEqual([['prod', 'api-prod', 'api']]);
    expect(clusters[0]!.changes.map((c) => [c.id, c.change])).toEqual([['apps/Deployment/api/api', 'changed']]);
    expect(clusters[0]!.changes[0]!.diff).toContain('-        image: ghcr.io/example/api:2.3.1');
    expect(clusters[0]!.changes[0]!.diff).toContain('+        image: ghcr.io/example/api:2.4.0');
  });

  it('is a no-op when the target already has the source versions', () => {
    const plan = planPromotion(input(exampleTree(), { request: { from: 'dev', to: 'staging', apps: ['api'] } }));
    expect(plan.noop).toBe(true);
    expect(plan.ready).toBe(false);
    expect(plan.apps[0]!.edits).toEqual([]);
  });

  it('blocks on a soak gate with its reason when the source has not been healthy long enough', () => {
    const plan = planPromotion(approved(input(exampleTree(), { request: { from: 'staging', to: 'prod', apps: ['api'] }, gates: { history: healthyFor(20 * 60_000) } })));
    expect(plan.ready).toBe(false);
    const soak = plan.gates.find((g) => g.gate === 'soak')!;
    expect(soak).toMatchObject({ passed: false, app: 'api', cluster: 'staging' });
    expect(soak.reason).toBe('api-staging on staging has been Synced and Healthy for 20m; the soak time is 1h (last observed 1m ago)');
  });

  it('fails the soak gate on an observation older than the stage freshness (default 5m), saying how old it is', () => {
    // Healthy for 2h by the record, but last read 11 minutes ago: the Deployment may be gone since.
    const stale = planPromotion(approved(input(exampleTree(), { request: { from: 'staging', to: 'prod', apps: ['api'] }, gates: { history: healthyFor(7_200_000, NOW, 11 * 60_000 + 24_000) } })));
    expect(stale.gates.find((g) => g.gate === 'soak')).toMatchObject({ passed: false, reason: 'api-staging on staging last observed 11m24s ago, older than 5m: refresh first (flotilla refresh)' });
    // A stage may allow older observations with gates.freshness.
    const pipeline = readFileSync(path.join(EXAMPLE, 'pipeline.yaml'), 'utf8').replace(/soak: 1h/, 'soak: 1h\n        freshness: 15m');
    expect(pipeline).toContain('freshness: 15m');
    const relaxed = planPromotion(approved(input(exampleTree({ 'pipeline.yaml': pipeline }), { request: { from: 'staging', to: 'prod', apps: ['api'] }, gates: { history: healthyFor(7_200_000, NOW, 11 * 60_000 + 24_000) } })));
    expect(relaxed.gates.find((g) => g.gate === 'soak')).toMatchObject({ passed: true, reason: 'api-staging on staging Synced and Healthy for 2h (soak 1h; last observed 11m24s ago)' });
  });

  it('says why nothing can be promoted when the overlays have no images entries, instead of "already up to date"', () => {
    const dev = readFileSync(path.join(EXAMPLE, 'apps/frontend/overlays/dev/kustomization.yaml'), 'utf8').replace(/images:\n {2}- name: ghcr.io\/example\/frontend\n {4}newTag: "1.8.0"\n/, '');
    const staging = readFileSync(path.join(EXAMPLE, 'apps/frontend/overlays/staging/kustomization.yaml'), 'utf8').replace(/images:\n {2}- name: ghcr.io\/example\/frontend\n {4}newTag: "1.7.2"\n/, '');
    expect(dev).not.toContain('images:');
    const plan = planPromotion(input(exampleTree({ 'apps/frontend/overlays/dev/kustomization.yaml': dev, 'apps/frontend/overlays/staging/kustomization.yaml': staging }), { request: { from: 'dev', to: 'staging', apps: ['frontend'] } }));
    expect(plan.noop).toBe(true);
    expect(plan.apps[0]!.problems.map((p) => [p.severity, p.message])).toEqual([[
      'warning',
      'apps/frontend/overlays/dev/kustomization.yaml has no kustomization `images:` entries, and promote.images moves only those: Flotilla cannot see which versions frontend runs in dev, so nothing can be promoted even if the stages differ (an image set in a patch or the base is not promoted). Add an `images:` entry (name and newTag) to the dev and staging overlays, or promote the field that holds the version with promote.paths.',
    ]]);
  });

  it('blocks prod without the required approval and inside the Friday freeze window', () => {
    const friday = Date.parse('2026-11-20T18:00:00Z');
    const plan = planPromotion(input(exampleTree(), { request: { from: 'staging', to: 'prod', apps: ['api'] }, gates: { now: friday, history: healthyFor(7_200_000, friday) } }));
    const failed = plan.gates.filter((g) => !g.passed).map((g) => g.gate).sort();
    expect(failed).toEqual(['approval', 'freeze']);
    expect(plan.gates.find((g) => g.gate === 'freeze')!.reason).toContain('since 2026-11-20T16:00:00.000Z');
  });

  it('names an unknown stage and an unknown app', () => {
    const tree = exampleTree();
    expect(planBlockers(planPromotion(input(tree, { request: { from: 'dev', to: 'qa', apps: 'all' } })))).toEqual(['pipeline.yaml:2: unknown stage "qa" in pipeline apps (stages: dev, staging, prod)']);
    expect(planBlockers(planPromotion(input(tree, { request: { from: 'dev', to: 'prod', apps: 'all' } })))).toEqual(['pipeline.yaml:2: stage prod is promoted from staging, not from dev']);
    expect(planBlockers(planPromotion(input(tree, { request: { from: 'dev', to: 'staging', apps: ['nope'] } })))[0]).toContain('unknown app "nope"');
  });

  it('refuses an image the source stage does not have', () => {
    const plan = planPromotion(approved(input(exampleTree(), { request: { from: 'staging', to: 'prod', apps: ['api'], images: ['ghcr.io/example/missing'] } })));
    expect(plan.ready).toBe(false);
    expect(planBlockers(plan)).toEqual(['apps/api/overlays/staging/kustomization.yaml: image ghcr.io/example/missing is not in the source stage\'s images (ghcr.io/example/api) (app api)']);
  });
});
