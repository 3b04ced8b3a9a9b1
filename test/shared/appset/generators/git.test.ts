import { describe, expect, it } from 'vitest';
import type { AppSetContext } from '../../../../shared/appset/engine';
import { gitDirectories, gitGenerator, parseGitFile } from '../../../../shared/appset/generators/git';
import { MemoryFileTree } from '../../../../shared/repo/file-tree';

const info = { name: 'set', goTemplate: false };

describe('git generator', () => {
  it('lists folders as the repo server does: recursive, without the root and without dot-folders', () => {
    const tree = new MemoryFileTree({ 'apps/a/k.yaml': '', 'apps/b/c/k.yaml': '', '.github/workflows/ci.yaml': '', 'README.md': '' });
    expect(gitDirectories(tree)).toEqual(['apps', 'apps/a', 'apps/b', 'apps/b/c']);
  });

  it("prefers the reader's directory listing and still drops dot-folders from it", () => {
    const asked: string[] = [];
    const ctx: AppSetContext = {
      clusters: [],
      git: {
        treeAt: () => {
          throw new Error('treeAt must not be needed for directories when directoriesAt exists');
        },
        directoriesAt: (repo, rev) => {
          asked.push(`${repo}@${rev}`);
          return ['apps', 'apps/a', '.git', '.git/objects', 'apps/.hidden'];
        },
      },
    };
    const r = gitGenerator({ repoURL: 'https://x/r.git', directories: [{ path: '*' }, { path: '*/*' }] }, info, ctx);
    expect(asked).toEqual(['https://x/r.git@HEAD']);
    expect(r.issues).toEqual([]);
    expect(r.params.map((p) => p.params['path'])).toEqual(['apps', 'apps/a']);
  });

  it('reads YAML and JSON files as one map or a list of maps, and refuses scalars', () => {
    expect(parseGitFile('')).toEqual([{}]);
    expect(parseGitFile('a: 1\nb: {c: yes}\n')).toEqual([{ a: 1, b: { c: true } }]);
    expect(parseGitFile('[{"a": "x"}, {"a": "y"}]')).toEqual([{ a: 'x' }, { a: 'y' }]);
    expect(() => parseGitFile('"just a string"')).toThrow(/cannot unmarshal string/);
    expect(() => parseGitFile('a: [')).toThrow(/error converting YAML to JSON/);
  });

  it('flattens file values to text in fasttemplate mode, numbers formatted as Go does', () => {
    const tree = new MemoryFileTree({ 'clusters/prod/config.yaml': 'cluster:\n  name: prod\n  replicas: 1000000\n  zones: [a, b]\n' });
    const ctx: AppSetContext = { clusters: [], git: { treeAt: () => tree } };
    const r = gitGenerator({ repoURL: 'r', revision: 'main', files: [{ path: 'clusters/*/config.yaml' }] }, info, ctx);
    expect(r.issues).toEqual([]);
    expect(r.params.map((p) => p.params)).toEqual([
      {
        'cluster.name': 'prod',
        'cluster.replicas': '1e+06',
        'cluster.zones.0': 'a',
        'cluster.zones.1': 'b',
        path: 'clusters/prod',
        'path.basename': 'prod',
        'path.basenameNormalized': 'prod',
        'path.filename': 'config.yaml',
        'path.filenameNormalized': 'config.yaml',
        'path[0]': 'clusters',
        'path[1]': 'prod',
      },
    ]);
  });
});
