import { describe, expect, it } from 'vitest';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { renderSource } from '../../../shared/sources/registry';
import { sourceInput } from './helpers';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations: {}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
`;

function tree(kustomization = 'resources:\n- deployment.yaml\ncommonLabels:\n  team: blue\ncommonAnnotations:\n  owner: a\n') {
  return new MemoryFileTree({ 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': deployment, 'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  from-component: "yes"\n' });
}

type Obj = { metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; namespace?: string }; spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] } } } };

describe('kustomize sources', () => {
  it("applies the source's options as Argo CD's kustomize edit does, the repository left untouched", () => {
    const t = tree();
    const r = renderSource(
      sourceInput(t, 'app', {
        kustomize: {
          namePrefix: 'p-',
          nameSuffix: '-s',
          images: ['nginx=registry.example.com/nginx:$ARGOCD_APP_REVISION_SHORT'],
          replicas: [{ name: 'web', count: '3' }],
          commonLabels: { env: '$ARGOCD_APP_NAMESPACE' },
          commonAnnotations: { app: '$ARGOCD_APP_NAME' },
          namespace: 'kust-ns',
          patches: [{ target: { kind: 'Deployment' }, patch: '- op: add\n  path: /spec/template/metadata/labels/patched\n  value: "yes"\n' }],
          components: ['../comp'],
        },
      }),
    );
    expect(r.problems.map((p) => p.message)).toEqual([]);
    expect(r.kind).toBe('kustomize');
    const d = r.objects[0] as unknown as Obj;
    expect(d.metadata.name).toBe('p-web-s');
    expect(d.metadata.namespace).toBe('kust-ns');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0]!.image).toBe('registry.example.com/nginx:abcdef0');
    expect(d.metadata.labels).toEqual({ team: 'blue', env: 'web' });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'web', patched: 'yes', team: 'blue', env: 'web' });
    expect(d.spec.selector.matchLabels).toEqual({ app: 'web', team: 'blue', env: 'web' });
    // commonAnnotations are substituted only with commonAnnotationsEnvsubst.
    expect(d.metadata.annotations).toEqual({ owner: 'a', app: '$ARGOCD_APP_NAME', 'from-component': 'yes' });
    expect(r.description).toContain('kustomize at app with namePrefix p-; nameSuffix -s; images nginx=registry.example.com/nginx:$ARGOCD_APP_REVISION_SHORT');
    expect(t.read('app/kustomization.yaml')).toBe(tree().read('app/kustomization.yaml'));
  });

  it("refuses a label or annotation already in the kustomization unless forced, with kustomize's words", () => {
    const label = renderSource(sourceInput(tree(), 'app', { kustomize: { commonLabels: { team: 'red' } } }));
    expect(label.objects).toEqual([]);
    expect(label.problems[0]).toMatchObject({ severity: 'error', app: 'shop', file: 'app/kustomization.yaml' });
    expect(label.problems[0]!.message).toContain('label team already in kustomization file');
    const annotation = renderSource(sourceInput(tree(), 'app', { kustomize: { commonAnnotations: { owner: 'b' } } }));
    expect(annotation.problems[0]!.message).toContain('annotation owner already in kustomization file');
    const forced = renderSource(sourceInput(tree(), 'app', { kustomize: { commonLabels: { team: 'red' }, forceCommonLabels: true, commonAnnotations: { owner: 'b' }, forceCommonAnnotations: true } }));
    const d = forced.objects[0] as unknown as Obj;
    expect(d.metadata.labels).toEqual({ team: 'red' });
    expect(d.metadata.annotations).toEqual({ owner: 'b' });
  });

  it('adds labels without touching selectors with labelWithoutSelector (templates too with labelIncludeTemplates)', () => {
    const r = renderSource(sourceInput(tree(), 'app', { kustomize: { commonLabels: { tier: 'front' }, labelWithoutSelector: true, labelIncludeTemplates: true } }));
    const d = r.objects[0] as unknown as Obj;
    expect(d.metadata.labels).toEqual({ team: 'blue', tier: 'front' });
    expect(d.spec.selector.matchLabels).toEqual({ app: 'web', team: 'blue' });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'web', team: 'blue', tier: 'front' });
  });

  it('refuses a missing component unless ignoreMissingComponents', () => {
    const missing = renderSource(sourceInput(tree(), 'app', { kustomize: { components: ['../nope'] } }));
    expect(missing.problems[0]!.message).toContain('../nope has no match');
    const ignored = renderSource(sourceInput(tree(), 'app', { kustomize: { components: ['../nope', '../comp'], ignoreMissingComponents: true } }));
    expect(ignored.problems).toEqual([]);
    expect((ignored.objects[0] as unknown as Obj).metadata.annotations).toMatchObject({ 'from-component': 'yes' });
  });

  it('drops an empty metadata.annotations as kustomize does, and needs a kustomization when set explicitly', () => {
    const plain = renderSource(sourceInput(tree('resources:\n- deployment.yaml\n'), 'app'));
    expect((plain.objects[0] as unknown as Obj).metadata).toEqual({ name: 'web' });
    const none = renderSource(sourceInput(new MemoryFileTree({ 'app/a.yaml': deployment }), 'app', { kustomize: {} }));
    expect(none.problems[0]!.message).toContain("unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization'");
    const patchesOnly = renderSource(sourceInput(new MemoryFileTree({ 'app/a.yaml': deployment }), 'app', { kustomize: { patches: [{ patch: 'x' }] } }));
    expect(patchesOnly.problems[0]!.message).toBe('kustomization file not found in the path');
  });
});
