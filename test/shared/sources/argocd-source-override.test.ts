import { describe, expect, it } from 'vitest';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { applySourceOverrides } from '../../../shared/sources/argocd-source-override';

describe('.argocd-source.yaml overrides', () => {
  const source = { repoURL: 'https://git.example.com/r.git', path: 'app', targetRevision: 'main', kustomize: { namePrefix: 'a-', images: ['x:1'] } };

  it('merges .argocd-source.yaml then .argocd-source-<app>.yaml as JSON merge patches, keeping repo, path and revision', () => {
    const tree = new MemoryFileTree({
      'app/.argocd-source.yaml': 'kustomize:\n  namePrefix: b-\n  nameSuffix: -s\npath: elsewhere\n',
      'app/.argocd-source-shop.yaml': 'kustomize:\n  images: [x:2]\n  nameSuffix: null\n',
    });
    const r = applySourceOverrides(tree, 'app', 'shop', source);
    expect(r.problems).toEqual([]);
    expect(r.files).toEqual(['app/.argocd-source.yaml', 'app/.argocd-source-shop.yaml']);
    expect(r.source).toEqual({ repoURL: 'https://git.example.com/r.git', path: 'app', targetRevision: 'main', kustomize: { namePrefix: 'b-', images: ['x:2'] } });
    // Another app reads only the shared file.
    expect(applySourceOverrides(tree, 'app', 'cart', source).source['kustomize']).toEqual({ namePrefix: 'b-', nameSuffix: '-s', images: ['x:1'] });
  });

  it('leaves the source alone without override files, and names the file and line of a broken one', () => {
    expect(applySourceOverrides(new MemoryFileTree({ 'app/a.yaml': '' }), 'app', 'shop', source)).toEqual({ source, files: [], problems: [] });
    const bad = applySourceOverrides(new MemoryFileTree({ 'app/.argocd-source.yaml': 'helm:\n  values: [unclosed\n' }), 'app', 'shop', source);
    expect(bad.problems[0]).toMatchObject({ severity: 'error', file: 'app/.argocd-source.yaml' });
    expect(bad.problems[0]!.line).toBeGreaterThan(0);
    const list = applySourceOverrides(new MemoryFileTree({ 'app/.argocd-source.yaml': '- a\n' }), 'app', 'shop', source);
    expect(list.problems[0]).toMatchObject({ file: 'app/.argocd-source.yaml', line: 1 });
  });
});
