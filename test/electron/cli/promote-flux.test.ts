// Promotions on a Flux repository, on real git (a bare remote and a clone): the pipeline moves an image tag in the
// stage's Flux path kustomization, a HelmRelease's spec.chart.spec.version and a value at a YAML path of it; the plan
// shows the rendered change per target cluster through the Flux apps themselves (the Kustomization's HelmRelease, and
// the chart the HelmRelease renders, through helm), then one commit is pushed.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

const REPO_URL = 'https://git.example.com/platform/flux-fleet.git';
const t = tempDir('flotilla-promote-flux-');
afterAll(() => t.cleanup());

function stage(name: string, version: string, replicas: number, tag: string): Record<string, string> {
  return {
    [`clusters/${name}/apps.yaml`]: [
      'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: GitRepository', 'metadata:', '  name: flux-system', '  namespace: flux-system', 'spec:', '  interval: 1m', `  url: ${REPO_URL}`, '  ref: {branch: main}', '---',
      'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', '  name: apps', '  namespace: flux-system', 'spec:', '  interval: 10m', '  prune: true',
      '  sourceRef: {kind: GitRepository, name: flux-system}', `  path: ./apps/${name}`, '',
    ].join('\n'),
    [`apps/${name}/kustomization.yaml`]: [
      'apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', '- ../base/web', 'patches:', '- path: web-values.yaml', '  target: {kind: HelmRelease}',
      'images:', '- name: ghcr.io/example/worker', `  newTag: "${tag}" # the release train`, '',
    ].join('\n'),
    [`apps/${name}/web-values.yaml`]: [
      'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: web', '  namespace: web', 'spec:', '  chart:', '    spec:', `      version: "${version}"`, '  values:', `    replicaCount: ${replicas}`, '',
    ].join('\n'),
  };
}

function setup(): { work: string; remote: string } {
  const seed = path.join(t.dir, 'seed');
  git(t.dir, 'init', '-q', '-b', 'main', seed);
  writeFiles(seed, {
    'flotilla.yaml': ['apiVersion: flotilla.dev/v1alpha1', 'kind: Fleet', 'metadata:', '  name: flux', 'spec:', `  repoURL: ${REPO_URL}`, '  clusters:', '  - name: staging', '    environment: staging', '  - name: production', '    environment: production', ''].join('\n'),
    'pipeline.yaml': [
      'apiVersion: flotilla.dev/v1alpha1', 'kind: Pipeline', 'metadata:', '  name: web', 'spec:', '  apps:', '  - name: web', '    overlayPath: apps/{{stage}}', '  promote:', '    images: true', '    paths:',
      '    - {file: web-values.yaml, path: spec.chart.spec.version}', '    - {file: web-values.yaml, path: spec.values.replicaCount}', '  stages:', '  - name: staging', '  - name: production', '    from: staging', '',
    ].join('\n'),
    'apps/base/web/kustomization.yaml': 'resources:\n- release.yaml\n- worker.yaml\n',
    'apps/base/web/release.yaml': [
      'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: web', '  namespace: web', 'spec:', '  interval: 10m', '  chart:', '    spec:', '      chart: ./charts/web',
      '      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}', '  values:', '    replicaCount: 1', '',
    ].join('\n'),
    'apps/base/web/worker.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\n  namespace: web\nspec:\n  selector:\n    matchLabels: {app: worker}\n  template:\n    metadata:\n      labels: {app: worker}\n    spec:\n      containers:\n      - name: worker\n        image: ghcr.io/example/worker:0.0.1\n',
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'charts/web/values.yaml': 'replicaCount: 1\n',
    'charts/web/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n',
    ...stage('staging', '2.0.0', 3, '1.1.0'),
    ...stage('production', '1.0.0', 2, '1.0.0'),
  });
  commitAll(seed, 'A Flux fleet: staging and production');
  const remote = path.join(t.dir, 'remote.git');
  git(t.dir, 'init', '-q', '--bare', '-b', 'main', remote);
  git(seed, 'push', '-q', remote, 'main');
  const work = path.join(t.dir, 'work');
  git(t.dir, 'clone', '-q', remote, work);
  git(work, 'config', 'user.name', 'Pat Promoter');
  git(work, 'config', 'user.email', 'pat@flotilla.invalid');
  return { work, remote };
}

describe('promotions on a Flux repository', () => {
  const { work, remote } = setup();
  const args = ['--repo', work, '--data-dir', path.join(t.dir, 'data')];

  it('plans the image tag, the chart version and a value, with the rendered change on the target cluster', async () => {
    const r = await cli(['promote', 'web', '--from', 'staging', '--to', 'production', '--dry-run', ...args, '-o', 'json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const { plan } = JSON.parse(r.out) as { plan: { ready: boolean; apps: { moves: { kind: string; name: string; file: string; from?: string; to: string }[]; clusters: { cluster: string; application?: string; changes: { id: string; change: string; diff: string }[]; problems: unknown[] }[] }[] } };
    expect(plan.ready).toBe(true);
    const [app] = plan.apps;
    expect(app!.moves.map((m) => `${m.kind} ${m.name} ${m.file}: ${m.from} -> ${m.to}`)).toEqual([
      'image ghcr.io/example/worker apps/production/kustomization.yaml: ghcr.io/example/worker:1.0.0 -> ghcr.io/example/worker:1.1.0',
      'path spec.chart.spec.version apps/production/web-values.yaml: 1.0.0 -> 2.0.0',
      'path spec.values.replicaCount apps/production/web-values.yaml: 2 -> 3',
    ]);
    expect(app!.clusters).toHaveLength(1);
    const production = app!.clusters[0]!;
    expect(production).toMatchObject({ cluster: 'production', application: 'flux-system/apps@production', problems: [] });
    // The Kustomization's own output (the HelmRelease and the worker), then what the HelmRelease's chart renders.
    expect(production.changes.map((c) => `${c.id} ${c.change}`).sort()).toEqual(['apps/Deployment/web/web changed', 'apps/Deployment/web/worker changed', 'helm.toolkit.fluxcd.io/HelmRelease/web/web changed']);
    const diff = (id: string): string => production.changes.find((c) => c.id === id)!.diff;
    expect(diff('apps/Deployment/web/worker')).toContain('-      - image: ghcr.io/example/worker:1.0.0\n+      - image: ghcr.io/example/worker:1.1.0\n');
    expect(diff('helm.toolkit.fluxcd.io/HelmRelease/web/web')).toContain('-      version: "1.0.0"\n+      version: "2.0.0"\n');
    expect(diff('helm.toolkit.fluxcd.io/HelmRelease/web/web')).toContain('-    replicaCount: 2\n+    replicaCount: 3\n');
    expect(diff('apps/Deployment/web/web')).toContain('-  replicas: 2\n+  replicas: 3');
    expect(git(remote, 'log', '-1', '--format=%s', 'main').trim()).toBe('A Flux fleet: staging and production');
  });

  it('pushes one commit that edits only the moved values, keeping comments', async () => {
    const r = await cli(['promote', 'web', '--from', 'staging', '--to', 'production', '--yes', ...args]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(git(remote, 'show', 'main:apps/production/kustomization.yaml')).toContain('  newTag: "1.1.0" # the release train\n');
    const values = git(remote, 'show', 'main:apps/production/web-values.yaml');
    expect(values).toContain('      version: "2.0.0"\n');
    expect(values).toContain('    replicaCount: 3\n');
    expect(git(remote, 'diff', '--stat', 'main~1', 'main').trim().split('\n').slice(0, -1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['apps/production/kustomization.yaml', 'apps/production/web-values.yaml']);
    const again = await cli(['promote', 'web', '--from', 'staging', '--to', 'production', '--dry-run', ...args, '-o', 'json']);
    expect((JSON.parse(again.out) as { plan: { noop: boolean } }).plan.noop).toBe(true);
  });
});
