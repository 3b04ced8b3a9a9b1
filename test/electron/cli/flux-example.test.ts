import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import { repoRoot } from '../../helpers/paths';
import { cli } from '../../helpers/run-cli';

// fluxcd/flux2-kustomize-helm-example (vendored) as a user opens it: its Flux Kustomizations and HelmReleases are apps
// per cluster (clusters/staging, clusters/production), rendered as kustomize-controller builds them; and bad input
// (a missing path, a missing required substituteFrom, a dependsOn cycle) is a Problem on that app alone.

describe('Flux apps of flux2-kustomize-helm-example through the CLI', () => {
  let repo: { dir: string; cleanup: () => void };
  beforeAll(() => {
    repo = tempDir('flotilla-flux-example-');
    git(repo.dir, 'init', '-q', '-b', 'main');
    cpSync(path.join(repoRoot, 'test/fixtures/flux2-kustomize-helm-example'), repo.dir, { recursive: true });
    git(repo.dir, 'remote', 'add', 'origin', 'https://github.com/fluxcd/flux2-kustomize-helm-example');
    commitAll(repo.dir, 'example');
  });
  afterAll(() => repo?.cleanup());

  it('lists every Kustomization and HelmRelease of both clusters as apps', async () => {
    const started = Date.now();
    const r = await cli(['apps', '-o', 'json'], repo.dir);
    const elapsed = Date.now() - started;
    expect(r.code, r.err).toBe(0);
    const apps = JSON.parse(r.out) as { name: string }[];
    const names = apps.map((a) => a.name).sort();
    for (const n of ['flux-system/apps@staging', 'flux-system/apps@production', 'flux-system/infra-controllers@staging', 'flux-system/infra-configs@production', 'podinfo/podinfo@staging', 'podinfo/podinfo@production']) expect(names).toContain(n);
    console.log(`flotilla apps on flux2-kustomize-helm-example: ${apps.length} apps in ${elapsed} ms (CLI process included)`);
  });

  it('renders a Kustomization with its patches, namespace and owner labels', async () => {
    const r = await cli(['render', '--app', 'flux-system/apps@staging'], repo.dir);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('Flux Kustomization at ./apps/staging');
    expect(r.out).toContain('kind: HelmRelease');
    expect(r.out).toContain('kustomize.toolkit.fluxcd.io/name: apps');
    expect(r.out).toContain('kustomize.toolkit.fluxcd.io/namespace: flux-system');
    // apps/staging/podinfo-values.yaml patches the HelmRelease: staging's values, not production's.
    expect(r.out).toContain('podinfo.staging');
  });

  it('reports bad input as a Problem on that app alone, with file and line', async () => {
    writeFiles(repo.dir, {
      'clusters/staging/broken.yaml': [
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata: {name: nopath, namespace: flux-system}',
        'spec: {interval: 1m, path: ./does/not/exist, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}',
        '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata: {name: novars, namespace: flux-system}',
        'spec:',
        '  interval: 1m',
        '  path: ./apps/staging',
        '  prune: true',
        '  sourceRef: {kind: GitRepository, name: flux-system}',
        '  postBuild:',
        '    substituteFrom: [{kind: ConfigMap, name: cluster-vars}]',
        '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata: {name: ping, namespace: flux-system}',
        'spec: {interval: 1m, path: ./apps/staging, prune: true, sourceRef: {kind: GitRepository, name: flux-system}, dependsOn: [{name: pong}]}',
        '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata: {name: pong, namespace: flux-system}',
        'spec: {interval: 1m, path: ./apps/staging, prune: true, sourceRef: {kind: GitRepository, name: flux-system}, dependsOn: [{name: ping}]}',
        '',
      ].join('\n'),
    });
    commitAll(repo.dir, 'broken');
    const missing = await cli(['render', '--app', 'nopath'], repo.dir);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('clusters/staging/broken.yaml:1');
    expect(missing.err).toContain('kustomization path not found');
    const novars = await cli(['render', '--app', 'novars'], repo.dir);
    expect(novars.code).not.toBe(0);
    expect(novars.err).toContain('clusters/staging/broken.yaml:6');
    expect(novars.err).toContain(`substitute from 'ConfigMap/cluster-vars' error: configmaps "cluster-vars" not found`);
    const apps = await cli(['apps'], repo.dir);
    expect(apps.out + apps.err).toContain('dependsOn cycle: ping → pong → ping');
    const fine = await cli(['render', '--app', 'flux-system/apps@staging'], repo.dir);
    expect(fine.code, fine.err).toBe(0);
  });
});

describe('the bundled example fleet', () => {
  let repo: { dir: string; cleanup: () => void };
  beforeAll(() => {
    repo = tempDir('flotilla-flux-bundled-');
    cpSync(path.join(repoRoot, 'examples/fleet'), repo.dir, { recursive: true });
    git(repo.dir, 'init', '-q', '-b', 'main');
    commitAll(repo.dir, 'example');
  });
  afterAll(() => repo?.cleanup());

  it('shows a Flux-managed app next to the Argo CD ones, substituted as Flux would apply it', async () => {
    const apps = await cli(['apps', '-o', 'json'], repo.dir);
    expect(apps.code, apps.err).toBe(0);
    const names = (JSON.parse(apps.out) as { name: string }[]).map((a) => a.name);
    expect(names).toContain('status-page');
    expect(names).toContain('guestbook');
    expect(names.filter((n) => n.startsWith('status-'))).toEqual(['status-page']);
    const r = await cli(['render', '--app', 'status-page'], repo.dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('cluster: dev');
    expect(r.out).toContain('banner: Welcome to the dev fleet');
    expect(r.out).toContain('theme: light');
    expect(r.out).toMatch(/replicas: 1\n/);
    expect(r.out).toContain('namespace: status');
  });
});
