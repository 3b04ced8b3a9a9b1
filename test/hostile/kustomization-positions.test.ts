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
    expect(e).toMatchObject({ file: 'app/kustomization.yaml', line: 4, column: 3 });
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
});
