// Errors in kustomization.yaml files point at the offending key or value (file:line:column), not the document start.
import { describe, expect, it } from 'vitest';
import { kustomizeBuild } from '../../shared/kustomize';
import { MemoryFileTree } from '../../shared/repo/file-tree';

const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n';

/** Builds `app` from these files; the one error problem. */
function errorOf(files: Record<string, string>): { message: string; file?: string; line?: number; column?: number } {
  const result = kustomizeBuild(new MemoryFileTree(files), 'app');
  const errors = result.problems.filter((p) => p.severity === 'error');
  expect(errors).toHaveLength(1);
  return errors[0]!;
}

describe('kustomization errors name the line and column of the offending node', () => {
  it('an unknown field: its key', () => {
    const e = errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': '# header\nresources:\n- deploy.yaml\nimages:\n- name: nginx\n  newTagg: "1.27"\n' });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 6, column: 3 });
    expect(e.message).toContain('json: unknown field "newTagg"');
  });

  it('a wrongly typed value: the value', () => {
    const e = errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\nnamePrefix:\n  a: b\n' });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 4, column: 3 });
    expect(e.message).toContain('cannot unmarshal object into Go struct field Kustomization.namePrefix of type string');
  });

  it('a wrongly typed image entry: the entry', () => {
    const e = errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\nimages:\n- name: nginx\n  newTag: "1.27"\n- [nginx]\n' });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 6, column: 3 });
    expect(e.message).toContain('Kustomization.images of type types.Image');
  });

  it('a missing resource: its list entry', () => {
    const e = errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'namespace: web\nresources:\n- deploy.yaml\n-   service.yaml\n' });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 4, column: 5 });
    expect(e.message).toContain("accumulating resources: 'service.yaml' does not exist");
  });

  it('a resource outside the kustomization folder (load restrictor): its entry, also when listed under bases', () => {
    const e = errorOf({ 'other.yaml': DEPLOY, 'app/kustomization.yaml': 'resources: []\nbases:\n- ../other.yaml\n' });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 3, column: 3 });
    expect(e.message).toContain('security; file');
  });

  it('a missing patch file: the path value of its patches entry', () => {
    const e = errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\npatches:\n- target: {kind: Deployment}\n  path: nope.yaml\n' });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 5, column: 9 });
    expect(e.message).toContain("patch file 'nope.yaml' does not exist");
  });

  it('a missing patchesStrategicMerge file and a missing component: their entries', () => {
    expect(errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\npatchesStrategicMerge:\n- gone.yaml\n' }))
      .toMatchObject({ file: 'app/kustomization.yaml', line: 4, column: 3 });
    expect(errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\ncomponents:\n\n- ../comp\n' }))
      .toMatchObject({ file: 'app/kustomization.yaml', line: 5, column: 3 });
  });

  it('a wrong kind: the kind value', () => {
    const e = errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\nkind: Kustomisation\n' });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 3, column: 7 });
  });

  it('a duplicate resource id: the resources entry that adds it the second time', () => {
    const e = errorOf({ 'app/a.yaml': DEPLOY, 'app/b.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- a.yaml\n-  b.yaml\n' });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 3, column: 4, resource: 'Deployment.v1.apps/web.[noNs]' });
    expect(e.message).toContain('may not add resource with an already registered id: Deployment.v1.apps/web.[noNs]');
  });

  it('a duplicate resource id brought by a base: the base entry of the overlay', () => {
    const e = errorOf({
      'base/deploy.yaml': DEPLOY,
      'base/kustomization.yaml': 'resources:\n- deploy.yaml\n',
      'app/deploy.yaml': DEPLOY,
      'app/kustomization.yaml': 'resources:\n- deploy.yaml\n- ../base\n',
    });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 3, column: 3 });
    expect(e.message).toContain('already registered id');
  });

  it('a configMapGenerator file that does not exist: its files entry', () => {
    const e = errorOf({ 'app/deploy.yaml': DEPLOY, 'app/a.txt': 'a', 'app/kustomization.yaml': 'resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: cfg\n  files:\n  - a.txt\n  - gone.txt\n' });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 7, column: 5 });
    expect(e.message).toBe("ConfigMap generator 'cfg': file 'gone.txt' does not exist (looked for app/gone.txt)");
  });

  it('a secretGenerator file outside the kustomization folder: its files entry', () => {
    const e = errorOf({ 'secret.txt': 's3cr3t', 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\nsecretGenerator:\n- name: s\n  files: [key=../secret.txt]\n' });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 5, column: 11 });
    expect(e.message).toContain("security; file 'secret.txt' is not in or below 'app'");
  });

  it('a bad line in a generator env file: that line of the env file, naming the generator entry', () => {
    const e = errorOf({
      'app/deploy.yaml': DEPLOY,
      'app/app.env': 'A=1\n# comment\n  =oops\n',
      'app/kustomization.yaml': 'resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: cfg\n  envs:\n  - app.env\n',
    });
    expect(e).toMatchObject({ file: 'app/app.env', line: 3, column: 3 });
    expect(e.message).toBe("invalid env line '  =oops' in app/app.env: a line needs KEY=VALUE (ConfigMap generator 'cfg' in app/kustomization.yaml:6:5)");
  });

  it('a key repeated by a generator: the literal that repeats it, or the env-file line', () => {
    const lit = errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: cfg\n  literals:\n  - a=1\n  - b=2\n  - a=3\n' });
    expect(lit).toMatchObject({ file: 'app/kustomization.yaml', line: 8, column: 5 });
    expect(lit.message).toBe('configmap cfg illegally repeats the key `a`');
    const env = errorOf({
      'app/deploy.yaml': DEPLOY,
      'app/a.env': 'A=1\n',
      'app/b.env': '\nB=2\nA=2\n',
      'app/kustomization.yaml': 'resources:\n- deploy.yaml\nsecretGenerator:\n- name: s\n  envs: [a.env, b.env]\n',
    });
    expect(env).toMatchObject({ file: 'app/b.env', line: 3, column: 1 });
    expect(env.message).toContain('secret s illegally repeats the key `A`');
    expect(env.message).toContain('app/kustomization.yaml:5:17');
  });

  it('a generator with behavior merge and no base object: its behavior value', () => {
    const e = errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: cfg\n  literals: [a=1]\n- name: other\n  behavior: merge\n  literals: [b=2]\n' });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 7, column: 13 });
    expect(e.message).toContain('ConfigMap.v1.[noGrp]/other.[noNs] does not exist; cannot merge');
  });

  it('a generator that would create an object its base already has: its entry (no behavior written)', () => {
    const e = errorOf({
      'base/kustomization.yaml': 'configMapGenerator:\n- name: cfg\n  literals: [a=1]\n',
      'app/kustomization.yaml': 'resources:\n- ../base\nconfigMapGenerator:\n- name: cfg\n  literals: [b=2]\n',
    });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 4, column: 3 });
    expect(e.message).toContain('behavior must be merge or replace');
  });

  it('an invalid generator behavior and an invalid literal: the value at fault', () => {
    expect(errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: cfg\n  behavior: merj\n' }))
      .toMatchObject({ file: 'app/kustomization.yaml', line: 5, column: 13 });
    expect(errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: cfg\n  literals: [a=1, novalue]\n' }))
      .toMatchObject({ file: 'app/kustomization.yaml', line: 5, column: 19, message: 'invalid literal source novalue, expected key=value' });
  });

  it('an unknown field inside a generator or a patch target: its key', () => {
    expect(errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: cfg\n  fils: [a.txt]\n' }))
      .toMatchObject({ file: 'app/kustomization.yaml', line: 5, column: 3, message: expect.stringContaining('json: unknown field "fils"') });
    expect(errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\npatches:\n- path: p.yaml\n  target:\n    kind: Deployment\n    nmae: web\n' }))
      .toMatchObject({ file: 'app/kustomization.yaml', line: 7, column: 5, message: expect.stringContaining('json: unknown field "nmae"') });
  });

  it('a patch target whose pattern is not a valid regular expression: that target field', () => {
    const e = errorOf({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\npatches:\n- target:\n    kind: Deployment\n    name: web(\n  patch: |-\n    - op: add\n      path: /spec/replicas\n      value: 2\n' });
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 6, column: 11 });
    expect(e.message).toContain('error parsing regexp: missing closing )');
  });

  it('a patch target that selects nothing: a warning at the target', () => {
    const r = kustomizeBuild(new MemoryFileTree({ 'app/deploy.yaml': DEPLOY, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\npatchesJson6902:\n- target: {group: apps, version: v1, kind: Deployment, name: api}\n  patch: "[]"\n' }), 'app');
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'warning', file: 'app/kustomization.yaml', line: 4, column: 11, message: expect.stringContaining('matches no resource') })]);
  });

  it('a strategic merge patch whose own name matches nothing: metadata.name in the patch file', () => {
    const e = errorOf({
      'app/deploy.yaml': DEPLOY,
      'app/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n',
      'app/kustomization.yaml': 'resources:\n- deploy.yaml\npatches:\n- path: patch.yaml\n',
    });
    expect(e).toMatchObject({ file: 'app/patch.yaml', line: 4, column: 9 });
    expect(e.message).toContain('no matches for Id Deployment.v1.apps/api.[noNs]');
    const legacy = errorOf({
      'app/deploy.yaml': DEPLOY,
      'app/kustomization.yaml': 'resources:\n- deploy.yaml\npatchesStrategicMerge:\n- |-\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: api\n',
    });
    expect(legacy).toMatchObject({ file: 'app/kustomization.yaml', line: 4, column: 3 });
  });

  it('a hostile target pattern is matched in linear time', () => {
    const names = Array.from({ length: 20 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${'a'.repeat(60)}${i}\n`).join('---\n');
    const started = performance.now();
    const r = kustomizeBuild(new MemoryFileTree({ 'app/cms.yaml': names, 'app/kustomization.yaml': 'resources:\n- cms.yaml\npatches:\n- target:\n    name: (a+)+b\n  patch: |-\n    - op: add\n      path: /data\n      value: {}\n' }), 'app');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('matches no resource') })]);
  });
});
