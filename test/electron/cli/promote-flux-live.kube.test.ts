// The promotion plan's live diff for a Flux app on a real cluster: the app's live objects are found as the grid finds
// them — by kustomize-controller's owner labels (`kustomize.toolkit.fluxcd.io/name|namespace`) and by the inventory
// its Kustomization's status lists — not by an Argo CD instance name, so what Flux would prune after the promotion
// shows as extra, and another owner's object does not.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/model/status';
import { FLUX_CRDS, installControllerCrds } from '../../helpers/controller-crds';
import { applyAs } from '../../helpers/flux-example';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { createNamespace, freshNamespace, kubeRequest, useKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

const REPO_URL = 'https://git.example.com/platform/flux-live.git';
const id = `pfl${randomBytes(3).toString('hex')}`;
const t = tempDir('flotilla-promote-flux-live-');
afterAll(() => t.cleanup());
let fleet: LocalFleetState;
let ns: string;
let work: string;

function stage(name: string, tag: string): Record<string, string> {
  return {
    [`clusters/${name}/app.yaml`]: [
      'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: GitRepository', 'metadata:', '  name: flux-system', `  namespace: ${ns}`, 'spec:', '  interval: 1m', `  url: ${REPO_URL}`, '  ref: {branch: main}', '---',
      'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', `  name: ${id}`, `  namespace: ${ns}`, 'spec:', '  interval: 10m', '  prune: true',
      '  sourceRef: {kind: GitRepository, name: flux-system}', `  path: ./apps/${name}`, `  targetNamespace: ${ns}`, '',
    ].join('\n'),
    [`apps/${name}/kustomization.yaml`]: ['resources:', '- ../base', 'images:', '- name: ghcr.io/example/worker', `  newTag: "${tag}"`, ''].join('\n'),
  };
}

const ownerLabels = (name: string): Record<string, string> => ({ 'kustomize.toolkit.fluxcd.io/name': name, 'kustomize.toolkit.fluxcd.io/namespace': ns });
const configMap = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data: { k: name } });

beforeAll(async () => {
  fleet = await useKubeFleet();
  ns = freshNamespace('pfl');
  const staging = fleet.clusters.find((c) => c.name === 'dev')!;
  const production = fleet.clusters.find((c) => c.name === 'prod')!;
  await createNamespace(fleet, 'prod', ns);
  await installControllerCrds(fleet, 'prod', FLUX_CRDS);
  const seed = path.join(t.dir, 'seed');
  git(t.dir, 'init', '-q', '-b', 'main', seed);
  writeFiles(seed, {
    'flotilla.yaml': [
      'apiVersion: flotilla.dev/v1alpha1', 'kind: Fleet', 'metadata:', '  name: flux-live', 'spec:', `  repoURL: ${REPO_URL}`, '  clusters:',
      '  - name: staging', `    context: ${staging.context}`, `    server: ${staging.server}`, '    environment: staging',
      '  - name: production', `    context: ${production.context}`, `    server: ${production.server}`, '    environment: production', '',
    ].join('\n'),
    'pipeline.yaml': [
      'apiVersion: flotilla.dev/v1alpha1', 'kind: Pipeline', 'metadata:', '  name: worker', 'spec:', '  apps:', '  - name: worker', '    overlayPath: apps/{{stage}}', '  promote:', '    images: true',
      '  stages:', '  - name: staging', '  - name: production', '    from: staging', '',
    ].join('\n'),
    'apps/base/kustomization.yaml': 'resources:\n- worker.yaml\n',
    'apps/base/worker.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  selector:\n    matchLabels: {app: worker}\n  template:\n    metadata:\n      labels: {app: worker}\n    spec:\n      containers:\n      - name: worker\n        image: ghcr.io/example/worker:0.0.1\n',
    ...stage('staging', '1.1.0'),
    ...stage('production', '1.0.0'),
  });
  commitAll(seed, 'A Flux app on two stages');
  work = path.join(t.dir, 'work');
  git(t.dir, 'clone', '-q', seed, work);

  // Production as kustomize-controller left it: the worker at 1.0.0 and a ConfigMap of an earlier revision, both
  // labelled by the Kustomization; a ConfigMap only its inventory lists; another Kustomization's ConfigMap.
  const worker: KubeObject = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'worker', namespace: ns, labels: ownerLabels(id) },
    spec: { selector: { matchLabels: { app: 'worker' } }, template: { metadata: { labels: { app: 'worker' } }, spec: { containers: [{ name: 'worker', image: 'ghcr.io/example/worker:1.0.0' }] } } },
  };
  for (const o of [worker, configMap('earlier-revision', ownerLabels(id)), configMap('in-inventory'), configMap('someone-elses', ownerLabels(`${id}-other`))]) await applyAs(fleet, 'prod', o, 'kustomize-controller');
  await applyAs(fleet, 'prod', {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: id, namespace: ns },
    spec: { interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, path: './apps/production', targetNamespace: ns },
  }, 'flux-bootstrap');
  const entries = [`${ns}_worker_apps_Deployment`, `${ns}_earlier-revision__ConfigMap`, `${ns}_in-inventory__ConfigMap`].map((e) => ({ id: e, v: 'v1' }));
  const res = await kubeRequest(fleet, 'prod', 'PATCH', `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${ns}/kustomizations/${id}/status`, { status: { inventory: { entries } } }, { contentType: 'application/merge-patch+json' });
  expect(res.status).toBe(200);
}, 120_000);

describe("a Flux app's promotion plan against the live cluster", () => {
  it("finds the app's live objects by Flux's owner labels and inventory: the promoted change, and what Flux would prune", async () => {
    const r = await cli(['promote', 'worker', '--from', 'staging', '--to', 'production', '--dry-run', '--live', '--kubeconfig', fleet.kubeconfig, '--repo', work, '--data-dir', path.join(t.dir, 'data'), '-o', 'json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const { live } = JSON.parse(r.out) as { live: { app: string; cluster: string; application: string; sync?: string; error?: string; resources: { id: string; sync: string; extra?: boolean; diff?: string }[] }[] };
    expect(live).toHaveLength(1);
    const production = live[0]!;
    expect(production).toMatchObject({ app: 'worker', cluster: 'production', application: `${ns}/${id}@production`, sync: 'OutOfSync' });
    expect(production.error).toBeUndefined();
    const byId = new Map(production.resources.map((x) => [x.id, x]));
    expect(byId.get(`apps/Deployment/${ns}/worker`)?.diff).toContain('-      - image: ghcr.io/example/worker:1.0.0\n+      - image: ghcr.io/example/worker:1.1.0');
    expect(byId.get(`/ConfigMap/${ns}/earlier-revision`)).toMatchObject({ extra: true });
    expect(byId.get(`/ConfigMap/${ns}/in-inventory`)).toMatchObject({ extra: true });
    expect(byId.has(`/ConfigMap/${ns}/someone-elses`)).toBe(false);
  });
});
