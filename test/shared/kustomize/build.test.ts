import { describe, expect, it } from 'vitest';
import type { HelmRunner } from '../../../shared/kustomize';
import { KustomizeCache, kustomizeBuild } from '../../../shared/kustomize';
import { MemoryFileTree } from '../../../shared/repo/file-tree';

const deployment = (name: string, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.0
${extra}`;

function errorOf(files: Record<string, string>, path = 'app', options = {}) {
  const r = kustomizeBuild(new MemoryFileTree(files), path, options);
  expect(r.yaml).toBe('');
  expect(r.problems).toHaveLength(1);
  return r.problems[0]!;
}

describe('kustomizeBuild output', () => {
  it('prints resources in kustomize legacy order with sorted keys and yaml.v2 quoting', () => {
    const tree = new MemoryFileTree({
      'app/kustomization.yaml': 'resources:\n- deploy.yaml\n- ns.yaml\n- cm.yaml\n',
      'app/deploy.yaml': deployment('web'),
      'app/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  on: "yes"\n  n: "1"\n  text: "a: b"\n  multi: "x\\ny\\n"\n',
    });
    const r = kustomizeBuild(tree, 'app');
    expect(r.problems).toEqual([]);
    expect(r.yaml).toBe(`apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
data:
  multi: |
    x
    y
  "n": "1"
  "on": "yes"
  text: 'a: b'
kind: ConfigMap
metadata:
  name: cfg
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - image: nginx:1.0
        name: app
`);
    expect(r.resources.map((o) => o.kind)).toEqual(['Namespace', 'ConfigMap', 'Deployment']);
    expect(r.files).toEqual(expect.arrayContaining(['app/kustomization.yaml', 'app/deploy.yaml', 'app/ns.yaml', 'app/cm.yaml']));
  });

  it('applies an overlay: namespace, prefix, labels, images, replicas, a patch and a generated ConfigMap with its hash', () => {
    const tree = new MemoryFileTree({
      'base/kustomization.yaml': 'resources:\n- deploy.yaml\n',
      'base/deploy.yaml': deployment('web'),
      'prod/kustomization.yaml': `namespace: prod
namePrefix: prod-
commonLabels:
  env: prod
resources:
- ../base
images:
- name: nginx
  newTag: "1.25"
replicas:
- name: web
  count: 3
configMapGenerator:
- name: settings
  literals:
  - LOG=info
patches:
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      template:
        spec:
          containers:
          - name: app
            envFrom:
            - configMapRef:
                name: settings
`,
    });
    const r = kustomizeBuild(tree, 'prod');
    expect(r.problems).toEqual([]);
    // Output checked against kubectl kustomize (kustomize v5.5.0).
    expect(r.yaml).toBe(`apiVersion: v1
data:
  LOG: info
kind: ConfigMap
metadata:
  labels:
    env: prod
  name: prod-settings-tkkdd9fftc
  namespace: prod
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    env: prod
  name: prod-web
  namespace: prod
spec:
  replicas: 3
  selector:
    matchLabels:
      env: prod
  template:
    metadata:
      labels:
        env: prod
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: prod-settings-tkkdd9fftc
        image: nginx:1.25
        name: app
`);
  });

  it('renders a folder without a kustomization like an Argo CD directory app (recursing when asked)', () => {
    const files = {
      'dir/a.yaml': deployment('a'),
      'dir/notes.txt': 'not a manifest',
      'dir/sub/b.json': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}',
    };
    const flat = kustomizeBuild(new MemoryFileTree(files), 'dir');
    expect(flat.resources.map((o) => (o.metadata as { name: string }).name)).toEqual(['a']);
    const deep = kustomizeBuild(new MemoryFileTree(files), 'dir', { recurseDirectories: true });
    expect(deep.resources.map((o) => (o.metadata as { name: string }).name)).toEqual(['a', 'b']);
  });
});

describe('kustomizeBuild problems', () => {
  it('names the kustomization and the missing path when a resource file does not exist', () => {
    const p = errorOf({ 'app/kustomization.yaml': 'resources:\n- missing.yaml\n' });
    expect(p.file).toBe('app/kustomization.yaml');
    expect(p.message).toContain("'missing.yaml' does not exist");
  });

  it('refuses a kustomization cycle', () => {
    const p = errorOf({
      'app/kustomization.yaml': 'resources:\n- ../other\n',
      'other/kustomization.yaml': 'resources:\n- ../app\n',
    });
    expect(p.file).toBe('other/kustomization.yaml');
    expect(p.message).toContain('cycle detected');
  });

  it('refuses two resources with the same id, naming both files', () => {
    const p = errorOf({
      'app/kustomization.yaml': 'resources:\n- a.yaml\n- b.yaml\n',
      'app/a.yaml': deployment('web'),
      'app/b.yaml': deployment('web'),
    });
    expect(p.file).toBe('app/kustomization.yaml');
    expect(p.message).toContain('already registered id: Deployment.v1.apps/web');
    expect(p.message).toContain('app/a.yaml');
    expect(p.message).toContain('app/b.yaml');
  });

  it('fails a patch whose target matches nothing (untargeted) and warns for a target selector that selects nothing', () => {
    const p = errorOf({
      'app/kustomization.yaml': 'resources:\n- d.yaml\npatches:\n- path: patch.yaml\n',
      'app/d.yaml': deployment('web'),
      'app/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n',
    });
    expect(p.file).toBe('app/patch.yaml');
    expect(p.message).toContain('no resource matches strategic merge patch');

    const r = kustomizeBuild(
      new MemoryFileTree({
        'app/kustomization.yaml': 'resources:\n- d.yaml\npatches:\n- target:\n    kind: StatefulSet\n  patch: |-\n    - op: add\n      path: /spec/replicas\n      value: 2\n',
        'app/d.yaml': deployment('web'),
      }),
      'app',
    );
    expect(r.yaml).toContain('name: web');
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'warning', file: 'app/kustomization.yaml', message: expect.stringContaining('matches no resource') })]);
  });

  it('reports a YAML error in a resource with its file, line and column', () => {
    const p = errorOf({
      'app/kustomization.yaml': 'resources:\n- bad.yaml\n',
      'app/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [a, b\n',
    });
    expect(p.file).toBe('app/bad.yaml');
    expect(p.line).toBeGreaterThanOrEqual(5);
    expect(p.column).toBeGreaterThanOrEqual(1);
    expect(p.message).toMatch(/^YAML: /);
  });

  it('reports a YAML error or an unknown field in a kustomization file, with line and column for the YAML', () => {
    const bad = errorOf({ 'app/kustomization.yaml': 'resources:\n- a.yaml\nnamePrefix: [oops\n' });
    expect(bad.file).toBe('app/kustomization.yaml');
    expect(bad.line).toBeGreaterThanOrEqual(3);
    expect(bad.column).toBeGreaterThanOrEqual(1);
    const unknown = errorOf({ 'app/kustomization.yaml': 'resources: []\nnamPrefix: x-\n' });
    expect(unknown).toMatchObject({ file: 'app/kustomization.yaml', message: expect.stringContaining('unknown field "namPrefix"') });
  });

  it('decodes a kustomization strictly as kustomize does: YAML 1.1 booleans and numbers are not strings', () => {
    const files = (k: string) => ({ 'app/kustomization.yaml': `resources:\n- d.yaml\n${k}`, 'app/d.yaml': deployment('web') });
    expect(errorOf(files('namespace: n\n')).message).toBe('invalid Kustomization: json: cannot unmarshal bool into Go struct field Kustomization.namespace of type string');
    expect(errorOf(files('commonLabels:\n  version: 2\n')).message).toContain('cannot unmarshal number into Go struct field Kustomization.commonLabels of type string');
    expect(errorOf(files('replicas:\n- name: web\n  count: "3"\n')).message).toContain('Replica.replicas.count of type int64');
    // `yes` is true for kustomization files (sigs.k8s.io/yaml), and field names match case-insensitively.
    const r = kustomizeBuild(new MemoryFileTree(files('configMapGenerator:\n- name: c\n  literals: [a=b]\n  options:\n    disablenamesuffixhash: yes\n')), 'app');
    expect(r.yaml).toContain('name: c\n');
  });

  it('reports duplicate keys in a resource but lets the last duplicate win in a kustomization', () => {
    const p = errorOf({
      'app/kustomization.yaml': 'resources:\n- dup.yaml\n',
      'app/dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n',
    });
    expect(p).toMatchObject({ file: 'app/dup.yaml', line: 5, column: 3 });
    const r = kustomizeBuild(
      new MemoryFileTree({ 'app/kustomization.yaml': 'namePrefix: a-\nnamePrefix: b-\nresources:\n- d.yaml\n', 'app/d.yaml': deployment('web') }),
      'app',
    );
    expect(r.yaml).toContain('name: b-web');
  });

  it('refuses files outside the kustomization folder unless the load restrictor is none, and remote resources always', () => {
    const files = {
      'app/kustomization.yaml': 'resources:\n- ../shared/d.yaml\n',
      'shared/d.yaml': deployment('web'),
    };
    expect(errorOf(files).message).toContain('load restrictor');
    expect(kustomizeBuild(new MemoryFileTree(files), 'app', { loadRestrictor: 'none' }).yaml).toContain('name: web');
    expect(errorOf({ 'app/kustomization.yaml': 'resources:\n- ../../outside.yaml\n' }).message).toContain('leaves the repository root');
    expect(errorOf({ 'app/kustomization.yaml': 'resources:\n- https://github.com/org/repo//base?ref=v1\n' }).message).toContain('remote');
  });

  it('says helm is not installed when a kustomization has helmCharts and no runner, and uses the runner when given', () => {
    const files = { 'app/kustomization.yaml': 'helmCharts:\n- name: redis\n  repo: https://charts.example.com\n  version: 1.0.0\n  releaseName: cache\n' };
    expect(errorOf(files).message).toContain('helm is not installed');
    const helm: HelmRunner = {
      template: (req) => ({ manifests: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${req.releaseName}-${req.chart}\n` }),
    };
    expect(kustomizeBuild(new MemoryFileTree(files), 'app', { helm }).yaml).toContain('name: cache-redis');
  });
});

describe('KustomizeCache', () => {
  it('re-renders only the overlays that read a changed file', () => {
    const tree = new MemoryFileTree({
      'a/base/kustomization.yaml': 'resources:\n- d.yaml\n',
      'a/base/d.yaml': deployment('a'),
      'a/dev/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: dev-\n',
      'a/prod/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: prod-\n',
      'b/base/kustomization.yaml': 'resources:\n- d.yaml\n',
      'b/base/d.yaml': deployment('b'),
      'b/dev/kustomization.yaml': 'resources:\n- ../base\n',
    });
    const cache = new KustomizeCache();
    for (const o of ['a/dev', 'a/prod', 'b/dev']) cache.build(tree, o);
    const before = cache.build(tree, 'b/dev');
    tree.set('a/base/d.yaml', deployment('a', '      - name: extra\n        image: busybox\n'));
    expect(cache.invalidate(['a/base/d.yaml'])).toEqual(['a/dev', 'a/prod']);
    expect(cache.build(tree, 'a/dev').yaml).toContain('image: busybox');
    expect(cache.build(tree, 'b/dev')).toBe(before);
  });

  it('re-renders a directory app when a file is added to its folder', () => {
    const tree = new MemoryFileTree({ 'plain/a.yaml': deployment('a'), 'other/kustomization.yaml': 'resources:\n- d.yaml\n', 'other/d.yaml': deployment('o') });
    const cache = new KustomizeCache();
    expect(cache.build(tree, 'plain').resources).toHaveLength(1);
    cache.build(tree, 'other');
    tree.set('plain/b.yaml', deployment('b'));
    expect(cache.invalidate(['plain/b.yaml'])).toEqual(['plain']);
    expect(cache.build(tree, 'plain').resources).toHaveLength(2);
  });
});
