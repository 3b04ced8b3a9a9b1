import { describe, expect, it } from 'vitest';
import { renderApplication } from '../../../shared/fleet/render-apps';
import type { Application } from '../../../shared/model/application';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import type { Problem } from '../../../shared/problem';
import { parseYamlDocuments } from '../../../shared/yaml/documents';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const repo = new MemoryFileTree(
  {
    'flotilla.yaml': 'apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata:\n  name: f\n',
    'guestbook/cm.yaml': cm('guestbook'),
    'kust/kustomization.yaml': 'resources:\n- cm.yaml\nnamePrefix: k-\n',
    'kust/cm.yaml': cm('kust'),
    'values/prod.yaml': 'replicas: 2\n',
  },
  'f00dfeed00000000000000000000000000000000',
);
repo.set('escape/ok.yaml', cm('ok'));
repo.setLink('escape/escape.yaml', '../../outside.yaml');
const git = { treeAt: () => repo };
const opts = { clusters: [], loadRestrictor: 'rootOnly' as const };

function app(name: string, spec: Record<string, unknown>): Application {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name }, spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'web' }, ...spec } } as Application;
}
const source = (extra: Record<string, unknown>) => ({ repoURL: 'https://git.example.com/r.git', targetRevision: 'HEAD', ...extra });
const names = (r: { objects: readonly { metadata?: Record<string, unknown> }[] }) => r.objects.map((o) => o.metadata?.['name']);

describe('renderApplication through the source seam', () => {
  it('renders each source with its detected type, sets the destination namespace, and describes every source', () => {
    const r = renderApplication(app('two', { sources: [source({ path: 'kust' }), source({ path: 'values', ref: 'values' }), source({ path: 'guestbook', directory: { exclude: 'x*' } })] }), git, opts);
    expect(r.problems).toEqual([]);
    expect(names(r)).toEqual(['k-kust', 'guestbook']);
    expect(r.revision).toBe('f00dfeed00000000000000000000000000000000');
    expect(r.sources.map((s) => [s.index, s.kind, s.description, s.objects])).toEqual([
      [1, 'kustomize', 'kustomize at kust', 1],
      [2, 'directory', 'directory at values', 0],
      [3, 'directory', "directory at guestbook (exclude 'x*')", 1],
    ]);
    expect(r.objects.every((o) => o.metadata?.['namespace'] === 'web')).toBe(true);
    expect(r.yaml).toContain('name: k-kust');
  });

  it('never renders the repository root for a ref: source without a path', () => {
    const r = renderApplication(app('refs', { sources: [source({ path: 'guestbook' }), source({ ref: 'values' })] }), git, opts);
    expect(names(r)).toEqual(['guestbook']);
    expect(r.sources[1]).toMatchObject({ index: 2, description: expect.stringContaining('ref values') as unknown, objects: 0 });
  });

  it('reads `path: .` as the repository root (not null)', () => {
    const parsed = parseYamlDocuments('source:\n  repoURL: https://git.example.com/r.git\n  path: .\n', 'app.yaml').docs[0]!.value as { source: Record<string, unknown> };
    expect(parsed.source['path']).toBe('.');
    const r = renderApplication(app('root', { source: parsed.source }), git, opts);
    expect(r.problems).toEqual([]);
    expect(names(r)).toEqual(['f']);
  });

  it('refuses bad input as a Problem naming the app (and file) — no objects for that app, the others unaffected', () => {
    const bad = [
      app('no-source', {}),
      app('outside', { source: source({ path: '../elsewhere' }) }),
      app('missing', { source: source({ path: 'nope' }) }),
      app('escape', { source: source({ path: 'escape' }) }),
      app('unknown-ref', { sources: [source({ path: 'kust', helm: { valueFiles: ['$other/values/prod.yaml'] } }), source({ ref: 'values' })] }),
      app('two-types', { source: source({ path: 'kust', helm: {}, kustomize: {} }) }),
    ];
    const results = [...bad, app('fine', { source: source({ path: 'kust' }) })].map((a) => renderApplication(a, git, opts));
    for (const r of results.slice(0, -1)) {
      expect(r.objects).toEqual([]);
      expect(r.problems.length).toBeGreaterThan(0);
      expect(r.problems.every((p) => p.severity === 'error' && p.app === r.app)).toBe(true);
    }
    const [noSource, outside, missing, escape, unknownRef, twoTypes] = results.map((r) => r.problems[0]!) as [Problem, Problem, Problem, Problem, Problem, Problem];
    expect(noSource.message).toContain('no source');
    expect(outside).toMatchObject({ file: '../elsewhere', message: 'source 1 of 1: ../elsewhere: app path outside root' });
    expect(missing).toMatchObject({ file: 'nope', message: expect.stringContaining('app path does not exist') as unknown });
    expect(escape).toMatchObject({ file: 'escape/escape.yaml', message: expect.stringContaining('illegal filepath in symlink') as unknown });
    expect(unknownRef.message).toBe('source 1 of 2: source referenced "$other", which is not one of the available sources ($values)');
    expect(twoTypes.message).toBe('multiple application sources defined: Kustomize,Helm');
    expect(names(results.at(-1)!)).toEqual(['k-kust']);
  });

  it('says plainly when a source kind has no renderer in this build, never rendering it as empty', () => {
    const r = renderApplication(app('chart', { source: source({ path: 'kust', helm: {} }) }), git, { ...opts, renderers: [] });
    expect(r.objects).toEqual([]);
    expect(r.problems[0]).toMatchObject({ severity: 'error', app: 'chart', message: expect.stringContaining('no helm renderer') as unknown });
  });
});
