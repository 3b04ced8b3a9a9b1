import { describe, expect, it } from 'vitest';
import type { AppSetContext } from '../../../../shared/appset/engine';
import { filesPatternRoot, gitDirectories, gitGenerator, parseGitFile } from '../../../../shared/appset/generators/git';
import { TreeReadRecorder } from '../../../../shared/repo/tree-reads';
import { MemoryFileTree } from '../../../../shared/repo/file-tree';

const info = { name: 'set', goTemplate: false };

describe('git generator', () => {
  it('lists folders as the repo server does: recursive, without the root and without dot-folders', () => {
    const tree = new MemoryFileTree({ 'apps/a/k.yaml': '', 'apps/b/c/k.yaml': '', '.github/workflows/ci.yaml': '', 'README.md': '' });
    expect(gitDirectories(tree)).toEqual(['apps', 'apps/a', 'apps/b', 'apps/b/c']);
  });

  it('walks only as deep as an include pattern can match, and keeps the order of the full walk', () => {
    const listed: string[] = [];
    class CountingTree extends MemoryFileTree {
      override list(p: string): ReturnType<MemoryFileTree['list']> {
        listed.push(p);
        return super.list(p);
      }
    }
    const tree = new CountingTree({ 'apps/a/base/k.yaml': '', 'apps/a/overlays/dev/k.yaml': '', 'apps/b/k.yaml': '', 'lib/x/y/z/k.yaml': '' });
    const full = gitDirectories(tree);
    expect(gitDirectories(tree, 2)).toEqual(full.filter((d) => d.split('/').length <= 2));
    expect(gitDirectories(tree, 0)).toEqual([]);
    listed.length = 0;
    const counting: AppSetContext = { clusters: [], git: { treeAt: () => tree } };
    const paths = (directories: unknown[]): unknown[] => gitGenerator({ repoURL: 'https://x/r.git', directories }, info, counting).params.map((p) => p.params['path']);
    expect(paths([{ path: 'apps/*' }, { path: 'apps/b', exclude: true }])).toEqual(['apps/a']);
    expect(listed).not.toContain('apps/a/overlays');
    // A character class might match '/' in Go's path.Match: such a pattern still sees every folder.
    expect(paths([{ path: 'apps/a/[o]verlays/dev' }])).toEqual(['apps/a/overlays/dev']);
    expect(paths([{ path: 'lib/*/y/z' }])).toEqual(['lib/x/y/z']);
  });

  it('finds the files of a files pattern by walking only the folder every match lies under', () => {
    expect(['config/*.json', './config/a/**/b.json', '/config/x.json', 'config/', 'config', 'c*/x.json', 'config/[ab]/x.json', 'a/b{c,d}/x', 'a/\\*/x', '../x/*.json', 'a//b/*.json'].map(filesPatternRoot)).toEqual(['config', 'config/a', 'config', 'config', '', '', 'config', 'a', 'a', '', '']);
    const files = { 'config/a.json': '{"n": "a"}', 'config/deep/b.json': '{"n": "b"}', 'other/c.json': '{"n": "c"}', 'README.md': '' };
    const params = (tree: MemoryFileTree, paths: string[], rec?: TreeReadRecorder): unknown[] => {
      const ctx: AppSetContext = { clusters: [], git: { treeAt: () => (rec ? rec.wrap(tree) : tree) } };
      return gitGenerator({ repoURL: 'https://x/r.git', files: paths.map((path) => ({ path })) }, info, ctx).params.map((p) => p.params['n']);
    };
    const rec = new TreeReadRecorder();
    // Git's pathspec: `*` also crosses '/'.
    expect(params(new MemoryFileTree(files), ['config/*.json'], rec)).toEqual(['a', 'b']);
    expect(rec.reads().walks).toEqual(['config']);
    expect(rec.reads().lists).toEqual([]);
    // Roots in several places, one inside another: the same files as a walk of the whole tree would choose.
    expect(params(new MemoryFileTree(files), ['config/deep/*.json', 'other/*.json', 'config/a.json'])).toEqual(['a', 'b', 'c']);
    expect(params(new MemoryFileTree(files), ['*/*.json'])).toEqual(['a', 'b', 'c']);
    // A root reached through a link: the whole walk does not follow links into folders, so neither does this.
    const linked = new MemoryFileTree({ 'real/a.json': '{"n": "a"}' });
    linked.setLink('config', 'real');
    expect(params(linked, ['config/*.json'])).toEqual([]);
    expect(params(linked, ['real/*.json'])).toEqual(['a']);
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

  it('chooses folders once per listing and patterns, and hands out fresh parameters each run', () => {
    const listing = ['apps', 'apps/a', 'apps/b', 'apps/c', 'lib'];
    const ctx: AppSetContext = { clusters: [], git: { treeAt: () => new MemoryFileTree({}), directoriesAt: () => listing } };
    const go = { name: 'set', goTemplate: true };
    const run = (directories: unknown[]): ReturnType<typeof gitGenerator> => gitGenerator({ repoURL: 'https://x/r.git', directories }, go, ctx);
    const first = run([{ path: 'apps/*' }, { path: 'apps/b', exclude: true }, { path: 'nope/*' }]);
    const again = run([{ path: 'apps/*' }, { path: 'apps/b', exclude: true }, { path: 'nope/*' }]);
    expect(again).toEqual(first);
    expect(first.params.map((p) => (p.params['path'] as { path: string }).path)).toEqual(['apps/a', 'apps/c']);
    expect(first.issues.map((i) => i.message)).toEqual(["git directories path 'nope/*' matches no folder of https://x/r.git@HEAD"]);
    // Fresh objects per run: a matrix merges each with its first child's parameters.
    expect(again.params[0]!.params).not.toBe(first.params[0]!.params);
    expect(again.params[0]!.params['path']).not.toBe(first.params[0]!.params['path']);
    // Other patterns on the same listing choose again.
    expect(run([{ path: 'apps/*' }]).params.map((p) => (p.params['path'] as { path: string }).path)).toEqual(['apps/a', 'apps/b', 'apps/c']);
    expect(run([{ path: '*' }]).params.map((p) => (p.params['path'] as { basename: string }).basename)).toEqual(['apps', 'lib']);
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
