import { describe, expect, it } from 'vitest';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import type { FileTree } from '../../../shared/repo/file-tree';
import { globRoot } from '../../../shared/repo/glob';
import { scanRepository } from '../../../shared/repo/scan';

describe('globRoot', () => {
  it('is the glob itself without wildcards, else the folder above the first wildcard segment', () => {
    expect(globRoot('pipeline.yaml')).toEqual({ file: 'pipeline.yaml' });
    expect(globRoot('appsets/*.yaml')).toEqual({ dir: 'appsets' });
    expect(globRoot('deploy/argo/**/appset-{a,b}.yaml')).toEqual({ dir: 'deploy/argo' });
    expect(globRoot('**/*.yaml')).toEqual({ dir: '' });
    expect(globRoot('a?c/x.yaml')).toEqual({ dir: '' });
  });
});

describe('scanRepository walks only the folders its globs can match', () => {
  const appset = 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: apps\nspec:\n  generators: []\n  template: {}\n';
  const fleet = 'apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata:\n  name: f\nspec:\n  applicationSets:\n    - appsets/*.yaml\n  pipelines:\n    - pipeline.yaml\n';
  const files: Record<string, string> = { 'flotilla.yaml': fleet, 'appsets/apps.yaml': appset, 'appsets/nested/other.yaml': appset };
  for (let i = 0; i < 50; i++) files[`apps/app-${i}/base/kustomization.yaml`] = 'resources: []\n';

  it('lists no folder outside appsets/ and still finds the ApplicationSet (not the nested one, as the glob says)', () => {
    const mem = new MemoryFileTree(files);
    const listed: string[] = [];
    const tracking: FileTree = { read: (p) => mem.read(p), readBytes: (p) => mem.readBytes(p), kind: (p) => mem.kind(p), list: (p) => (listed.push(p), mem.list(p)) };
    const scan = scanRepository(tracking);
    expect(scan.applicationSets.map((d) => d.file)).toEqual(['appsets/apps.yaml']);
    expect(listed.every((p) => p === 'appsets' || p.startsWith('appsets/'))).toBe(true);
    expect(scanRepository(mem).applicationSets.map((d) => d.file)).toEqual(['appsets/apps.yaml']);
  });
});
