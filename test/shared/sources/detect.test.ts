import { describe, expect, it } from 'vitest';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { detectSourceKind } from '../../../shared/sources/detect';

const src = (extra: Record<string, unknown> = {}) => ({ repoURL: 'https://git.example.com/r.git', path: 'app', ...extra });

describe('source type detection', () => {
  const tree = new MemoryFileTree({
    'chart/Chart.yaml': 'name: c\nversion: 1.0.0\n',
    'chart/templates/cm.yaml': 'kind: ConfigMap\n',
    'kust/kustomization.yml': 'resources: []\n',
    'capital/Kustomization': 'resources: []\n',
    'both/Chart.yaml': 'name: c\n',
    'both/kustomization.yaml': 'resources: []\n',
    'suffix/MyChart.yaml': 'name: c\n',
    'plain/a.yaml': 'kind: ConfigMap\n',
    'deep/sub/Chart.yaml': 'name: c\n',
  });

  it('reads the files at the source path: Chart.yaml → helm, a kustomization → kustomize, else a directory', () => {
    expect(detectSourceKind(tree, 'chart', src())).toEqual({ kind: 'helm', explicit: false });
    expect(detectSourceKind(tree, 'kust', src())).toEqual({ kind: 'kustomize', explicit: false });
    expect(detectSourceKind(tree, 'capital', src())).toEqual({ kind: 'kustomize', explicit: false });
    expect(detectSourceKind(tree, 'plain', src())).toEqual({ kind: 'directory', explicit: false });
    // Only the source folder itself counts, not charts further down.
    expect(detectSourceKind(tree, 'deep', src())).toEqual({ kind: 'directory', explicit: false });
  });

  it("follows Argo CD's walk: the last match in file-name order wins, and any name ending in Chart.yaml is a chart", () => {
    expect(detectSourceKind(tree, 'both', src())).toEqual({ kind: 'kustomize', explicit: false });
    expect(detectSourceKind(tree, 'suffix', src())).toEqual({ kind: 'helm', explicit: false });
  });

  it('lets an explicit option win, refuses two, and takes a repository chart for Helm', () => {
    expect(detectSourceKind(tree, 'chart', src({ kustomize: {} }))).toEqual({ kind: 'kustomize', explicit: true });
    expect(detectSourceKind(tree, 'kust', src({ directory: { recurse: true } }))).toEqual({ kind: 'directory', explicit: true });
    expect(detectSourceKind(tree, 'plain', src({ helm: null }))).toEqual({ kind: 'directory', explicit: false });
    expect(detectSourceKind(tree, 'plain', src({ helm: {}, directory: {} }))).toEqual({ error: 'multiple application sources defined: Helm,Directory' });
    expect(detectSourceKind(undefined, '', src({ chart: 'redis', path: undefined }))).toEqual({ kind: 'helm', explicit: false });
  });
});
