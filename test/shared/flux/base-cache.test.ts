import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepository } from '../../../electron/services/git-repo';
import { WithFileTree } from '../../../shared/flux/generator';
import { renderFluxKustomization } from '../../../shared/flux/kustomization-build';
import { artifactOf } from '../../../shared/flux/source-ignore';
import { objectStore } from '../../../shared/flux/types';
import { kustomizeBuild } from '../../../shared/kustomize';
import type { JsonMap } from '../../../shared/kustomize/yaml';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';

// Flux renders from a commit share the base builds of that commit (shared/kustomize/base-cache.ts) through the tree
// Flux's generated kustomization is added to: the same output as a render with no cache, and a base built once.

const FILES: Record<string, string> = {
  'base/kustomization.yaml': 'resources:\n- deploy.yaml\n- cm.yaml\ncommonLabels:\n  tier: web\n',
  'base/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n',
  'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  cluster: ${cluster}\n',
  // An overlay with its own kustomization (Flux edits it) and a folder with none (Flux generates one).
  'apps/staging/kustomization.yaml': 'resources:\n- ../../base\nimages:\n- name: nginx\n  newTag: "1.26"\n',
  'apps/prod/kustomization.yaml': 'resources:\n- ../../base\n- extra.yaml\n',
  'apps/prod/extra.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n',
  'apps/plain/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: plain\nspec:\n  ports:\n  - port: 80\n',
  '.sourceignore': 'apps/prod/extra.yaml\n',
};

function ks(name: string, path: string, extra: JsonMap = {}): JsonMap {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: { interval: '10m', prune: true, path, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...extra },
  };
}

const STAGING = ks('staging', './apps/staging', { targetNamespace: 'web-staging', namePrefix: 's-', postBuild: { substitute: { cluster: 'staging' } } });
const PROD = ks('prod', './apps/prod', { targetNamespace: 'web-prod', postBuild: { substitute: { cluster: 'prod' } } });
const PLAIN = ks('plain', './apps/plain', { targetNamespace: 'plain' });

function render(tree: MemoryFileTree | ReturnType<GitRepository['treeAt']>, object: JsonMap): { yaml: string; problems: readonly unknown[]; files: readonly string[] } {
  return renderFluxKustomization({ object, artifact: artifactOf(tree), store: objectStore([]), where: { app: String((object['metadata'] as JsonMap)['name']) } });
}

describe('Flux renders from a git revision share its base builds', () => {
  let repo: { dir: string; cleanup: () => void };
  let gitRepo: GitRepository;
  beforeAll(async () => {
    repo = tempDir('flotilla-flux-base-cache-');
    writeFiles(repo.dir, FILES);
    git(repo.dir, 'init', '-q', '-b', 'main');
    commitAll(repo.dir, 'Flux fleet');
    gitRepo = await GitRepository.open(repo.dir);
  });
  afterAll(() => repo.cleanup());

  it('the tree Flux adds its kustomization to reports the commit it wraps, and says what it changes', () => {
    const tree = gitRepo.treeAt('HEAD');
    expect(tree.revision).toMatch(/^[0-9a-f]{40}$/);
    const wrapped = new WithFileTree(artifactOf(tree), 'apps/plain/kustomization.yaml', 'resources: []\n');
    expect(wrapped.revision).toBe(tree.revision);
    expect(wrapped.overlayOf.changed).toEqual(['apps/plain/kustomization.yaml', 'apps/plain']);
    // A tree with no revision stays without one.
    expect(new WithFileTree(new MemoryFileTree(FILES), 'apps/plain/kustomization.yaml', '').revision).toBeUndefined();
  });

  it('rendering the same Flux app twice (cache warm) gives the output of a render with no cache', () => {
    const tree = gitRepo.treeAt('HEAD');
    const uncached = render(new MemoryFileTree(FILES), STAGING);
    expect(uncached.problems).toEqual([]);
    expect(uncached.yaml).toContain('name: s-web-config');
    expect(uncached.yaml).toContain('cluster: staging');
    expect(uncached.yaml).toContain('image: nginx:1.26');
    const cold = render(tree, STAGING);
    const warm = render(tree, STAGING);
    expect(cold.yaml).toBe(uncached.yaml);
    expect(warm.yaml).toBe(uncached.yaml);
    expect(warm.files).toEqual(uncached.files);
    expect(warm.problems).toEqual([]);
  });

  it('two Flux Kustomizations sharing a base render as each does alone, in either order, with .sourceignore applied', () => {
    const alone = new Map([STAGING, PROD, PLAIN].map((k) => [k, render(new MemoryFileTree(FILES), k).yaml] as const));
    // The ignored extra.yaml is missing from the artifact: prod's build fails on it, alone or after staging.
    expect(render(new MemoryFileTree(FILES), PROD).problems).not.toEqual([]);
    for (const order of [
      [STAGING, PROD, PLAIN],
      [PLAIN, PROD, STAGING],
    ]) {
      const tree = gitRepo.treeAt('HEAD');
      for (const k of order) expect(render(tree, k).yaml).toBe(alone.get(k));
    }
  });

  it('the second Kustomization takes the base build the first made (the cache is on for Flux renders)', () => {
    // A tree pinned to a commit, whose base file then changes under it: only a build taken from the cache still shows
    // the first content (the probe that the base was not built again; a real commit never changes).
    const files = { ...FILES, '.sourceignore': '' };
    const tree = new MemoryFileTree(files, 'c0ffee'.padEnd(40, '0'));
    const first = render(tree, STAGING);
    expect(first.yaml).toContain('image: nginx:1.26');
    tree.set('base/cm.yaml', FILES['base/cm.yaml']!.replace('web-config', 'changed-config'));
    const second = render(tree, PROD);
    expect(second.problems).toEqual([]);
    expect(second.yaml).toContain('name: web-config');
    expect(second.yaml).not.toContain('changed-config');
    // Without a revision nothing is shared: the change shows.
    const loose = new MemoryFileTree(files);
    render(loose, STAGING);
    loose.set('base/cm.yaml', FILES['base/cm.yaml']!.replace('web-config', 'changed-config'));
    expect(render(loose, PROD).yaml).toContain('changed-config');
  });

  it('a base build that read the path a wrapper changes is neither taken from nor given to the commit’s cache', () => {
    const files: Record<string, string> = {
      'base/kustomization.yaml': 'resources:\n- ../shared/cm.yaml\n',
      'shared/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: original\n',
      'app/kustomization.yaml': 'resources:\n- ../base\n',
    };
    const NONE = { loadRestrictor: 'none' as const };
    const tree = new MemoryFileTree(files, 'feed'.padEnd(40, '0'));
    const changed = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: generated\n';
    // Commit first, then a wrapper changing the file the base reads: the wrapper's content, not the cached build.
    expect(kustomizeBuild(tree, 'app', NONE).yaml).toContain('name: original');
    const wrapped = new WithFileTree(tree, 'shared/cm.yaml', changed);
    expect(kustomizeBuild(wrapped, 'app', NONE).yaml).toContain('name: generated');
    // Wrapper first (on a fresh commit tree): its build is not kept for the commit.
    const tree2 = new MemoryFileTree(files, 'beef'.padEnd(40, '0'));
    expect(kustomizeBuild(new WithFileTree(tree2, 'shared/cm.yaml', changed), 'app', NONE).yaml).toContain('name: generated');
    expect(kustomizeBuild(tree2, 'app', NONE).yaml).toContain('name: original');
    // A wrapper changing another path shares the commit's build (the probe: a later change to the tree is not seen).
    tree2.set('shared/cm.yaml', changed.replace('generated', 'later'));
    expect(kustomizeBuild(new WithFileTree(tree2, 'other/kustomization.yaml', ''), 'app', NONE).yaml).toContain('name: original');
  });
});
