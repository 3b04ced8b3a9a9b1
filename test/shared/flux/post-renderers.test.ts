// A HelmRelease's spec.postRenderers as helm-controller runs them: each kustomize entry over the release manifest in
// order (images, then patches — strategic merge and JSON 6902 with targets), then commonMetadata and the origin
// labels; the chart's crds/ are not post-rendered. Rendered with the real helm binary, as the Flux corpus is.
import { describe, expect, it } from 'vitest';
import { createSourceTools } from '../../../electron/services/sources/source-tools';
import { renderHelmRelease } from '../../../shared/flux/helm-release';
import { objectStore } from '../../../shared/flux/types';
import type { JsonMap } from '../../../shared/kustomize/yaml';
import { MemoryFileTree } from '../../../shared/repo/file-tree';

const chart = new MemoryFileTree({
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
  'charts/web/values.yaml': 'replicaCount: 1\n',
  'charts/web/crds/widget.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions: []\n',
  'charts/web/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n',
  'charts/web/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n',
});

function release(postRenderers: unknown): JsonMap {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'web', namespace: 'shop' },
    spec: { chart: { spec: { chart: './charts/web', sourceRef: { kind: 'GitRepository', name: 'repo' } } }, commonMetadata: { labels: { team: 'shop' } }, postRenderers },
  } as JsonMap;
}

const tools = createSourceTools({ jsonnet: null });
const render = (postRenderers: unknown) =>
  renderHelmRelease({ object: release(postRenderers), store: objectStore([]), where: { file: 'release.yaml', line: 1 }, ...(tools.helm ? { helm: tools.helm } : {}), chart: (spec) => ({ tree: chart, path: spec.chart?.chart ?? '' }) });

describe.skipIf(!tools.helm)('HelmRelease postRenderers', () => {
  it('applies each kustomize post-renderer in order, then commonMetadata and the origin labels; CRDs are not post-rendered', () => {
    const r = render([
      { kustomize: { images: [{ name: 'nginx', newTag: '1.28' }], patches: [{ target: { kind: 'Deployment' }, patch: '- op: add\n  path: /metadata/annotations\n  value: {patched: first}\n' }] } },
      { kustomize: { patches: [{ patch: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n' }, { target: { kind: 'Service', name: 'web' }, patch: '- op: replace\n  path: /spec/ports/0/port\n  value: 8080\n' }] } },
    ]);
    expect(r.problems).toEqual([]);
    const origin = { 'helm.toolkit.fluxcd.io/name': 'web', 'helm.toolkit.fluxcd.io/namespace': 'shop' };
    const byKind = new Map(r.objects.map((o) => [o.kind, o]));
    expect(byKind.get('CustomResourceDefinition')!.metadata).toEqual({ name: 'widgets.example.com', labels: origin });
    expect(byKind.get('Deployment')).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', annotations: { patched: 'first' }, labels: { team: 'shop', ...origin } },
      spec: { replicas: 5, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } },
    });
    expect((byKind.get('Service')!['spec'] as { ports: { port: number }[] }).ports).toEqual([{ port: 8080 }]);
  });

  it('is a Problem naming the HelmRelease when a post-renderer patch does not apply', () => {
    const r = render([{ kustomize: { patches: [{ target: { kind: 'Deployment' }, patch: '- op: replace\n  path: /spec/nothing/here\n  value: 1\n' }] } }]);
    expect(r.objects).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: 'release.yaml', line: 1, message: expect.stringMatching(/^post-render failed: spec\.postRenderers\[0\]\.kustomize: /) });
  });
});
