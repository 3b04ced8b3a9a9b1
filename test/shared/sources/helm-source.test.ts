import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findHelm } from '../../../electron/services/helm/helm-binary';
import { createSourceTools } from '../../../electron/services/sources/source-tools';
import type { ApplicationSource } from '../../../shared/model/application';
import type { KubeObject } from '../../../shared/model/status';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import type { FileTree } from '../../../shared/repo/file-tree';
import { envsubst } from '../../../shared/sources/build-env';
import { cleanSetValue } from '../../../shared/sources/helm-options';
import { helmSource } from '../../../shared/sources/helm-source';
import { renderSource } from '../../../shared/sources/registry';
import type { SourceInput, SourceOutput, SourceTools } from '../../../shared/sources/types';
import { tempDir } from '../../helpers/git-fixtures';
import { repoRoot } from '../../helpers/paths';

// Helm sources through the real helm binary, option by option, as Argo CD's `helm template` call renders them.

const helm = findHelm();
const data = tempDir('flotilla-helm-source-');
afterAll(() => data.cleanup());
const tools: SourceTools = helm ? createSourceTools({ dataDir: data.dir, helm, jsonnet: null }) : {};

/** The files under a folder on disk, keyed by `prefix/relative path`. */
function filesOf(dir: string, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[`${prefix}/${path.relative(dir, p).split(path.sep).join('/')}`] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const guestbook = filesOf(path.join(repoRoot, 'test/fixtures/charts/helm-guestbook'), 'helm-guestbook');

// A chart that prints what helm saw: release, namespace, capabilities and values.
const probe: Record<string, string> = {
  'probe/Chart.yaml': 'apiVersion: v2\nname: probe\nversion: 0.1.0\n',
  'probe/values.yaml': 'greeting: hello\nnum: 1\nlist: []\nfile: ""\nfrom: chart\n',
  'probe/templates/probe.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: probe',
    '  namespace: {{ .Release.Namespace }}',
    'data:',
    '  release: {{ .Release.Name | quote }}',
    '  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}',
    '  hasWidget: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" | quote }}',
    '  greeting: {{ .Values.greeting | quote }}',
    '  from: {{ .Values.from | quote }}',
    '  num: {{ .Values.num | toJson | quote }}',
    '  list: {{ .Values.list | toJson | quote }}',
    '  file: {{ .Values.file | quote }}',
    '  extra: {{ .Values.extra | default "" | toJson | quote }}',
    '',
  ].join('\n'),
  'probe/templates/hook.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-install\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: m, image: busybox}]\n',
  'probe/templates/tests/smoke.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: smoke\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers: [{name: t, image: busybox}]\n',
  'probe/templates/list.yaml': 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: listed-a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: listed-b}\n',
  'probe/templates/NOTES.txt': 'NOTES-SHOULD-NOT-RENDER\n',
  'probe/crds/widget.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]\n',
  'probe/env/prod.yaml': 'greeting: prod\nfrom: prod\n',
  'probe/env/a.yaml': 'from: a\n',
  'probe/env/b.yaml': 'from: b\n',
  'probe/files/cert.pem': 'CERTIFICATE-BYTES',
  'shared/common.yaml': 'greeting: from-repo-root\n',
  'probe-helm-source/probe-values.yaml': 'greeting: from-app-name-path\n',
};

function input(tree: FileTree, chartPath: string, source: Partial<ApplicationSource>, extra: Partial<SourceInput> = {}): SourceInput {
  return {
    app: 'probe-app',
    tree,
    path: chartPath,
    source: { repoURL: 'https://git.example.com/repo.git', targetRevision: 'HEAD', path: chartPath, ...source },
    destinationNamespace: 'dest-ns',
    env: { ARGOCD_APP_NAME: 'probe-app', ARGOCD_APP_NAMESPACE: 'dest-ns' },
    refs: new Map(),
    loadRestrictor: 'rootOnly',
    tools,
    ...extra,
  };
}

function renderProbe(helmOpts: Record<string, unknown> = {}, extra: Partial<SourceInput> = {}, files: Record<string, string> = {}): SourceOutput {
  return helmSource.render(input(new MemoryFileTree({ ...probe, ...files }), 'probe', { helm: helmOpts }, extra));
}

function find(out: SourceOutput, kind: string, name: string): KubeObject | undefined {
  return out.objects.find((o) => o.kind === kind && (o.metadata as { name?: string } | undefined)?.name === name);
}

function probeData(out: SourceOutput): Record<string, string> {
  expect(out.problems).toEqual([]);
  return (find(out, 'ConfigMap', 'probe') as { data: Record<string, string> }).data;
}

describe('Argo CD build environment and --set escaping (pure)', () => {
  it('substitutes $NAME and ${NAME}, empties unknown names, keeps $$ as $ and a bare $', () => {
    const env = { ARGOCD_APP_NAME: 'web', ARGOCD_APP_NAMESPACE: 'prod' };
    expect(envsubst(env, '$ARGOCD_APP_NAME-${ARGOCD_APP_NAMESPACE}')).toBe('web-prod');
    expect(envsubst(env, 'a-$UNKNOWN-b')).toBe('a--b');
    expect(envsubst(env, 'cost $$5 and $')).toBe('cost $5 and $');
  });
  it('escapes commas unless the value is a {list} or the comma is already escaped', () => {
    expect(cleanSetValue('a,b')).toBe('a\\,b');
    expect(cleanSetValue('a\\,b')).toBe('a\\,b');
    expect(cleanSetValue('{a,b}')).toBe('{a,b}');
  });
});

describe.skipIf(!helm)('Helm sources through helm template', () => {
  it('renders a helm-guestbook chart as Argo CD does: release = app name, NOTES not rendered', () => {
    const out = helmSource.render({ ...input(new MemoryFileTree(guestbook), 'helm-guestbook', {}), app: 'helm-guestbook' });
    expect(out.problems).toEqual([]);
    expect(out.objects.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`).sort()).toEqual(['Deployment/helm-guestbook', 'Service/helm-guestbook']);
    const svc = find(out, 'Service', 'helm-guestbook') as { spec: { type: string }; metadata: { labels: Record<string, string> } };
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.metadata.labels).toEqual({ app: 'helm-guestbook', chart: 'helm-guestbook-0.1.0', heritage: 'Helm', release: 'helm-guestbook' });
    const dep = find(out, 'Deployment', 'helm-guestbook') as { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.template.spec.containers[0]!.image).toBe('gcr.io/google-samples/gb-frontend:v5');
    expect(out.yaml).not.toContain('Get the application URL');
    expect(out.description).toContain('Helm chart helm-guestbook');
    const prod = helmSource.render({ ...input(new MemoryFileTree(guestbook), 'helm-guestbook', { helm: { valueFiles: ['values-production.yaml'] } }), app: 'helm-guestbook' });
    expect((find(prod, 'Service', 'helm-guestbook') as { spec: { type: string } }).spec.type).toBe('LoadBalancer');
  });

  it('uses releaseName, helm.namespace over the destination, and keeps hooks, test hooks and CRDs by default', () => {
    const d = renderProbe();
    expect(d.objects.find((o) => o.kind === 'ConfigMap' && (o.metadata as { name: string }).name === 'probe')?.metadata?.namespace).toBe('dest-ns');
    expect(probeData(d).release).toBe('probe-app');
    expect(find(d, 'Job', 'migrate')).toBeDefined();
    expect(find(d, 'Pod', 'smoke')).toBeDefined();
    expect(find(d, 'CustomResourceDefinition', 'widgets.example.com')).toBeDefined();
    expect(d.yaml).not.toContain('NOTES-SHOULD-NOT-RENDER');
    const named = renderProbe({ releaseName: 'custom', namespace: 'helm-ns' });
    expect(probeData(named).release).toBe('custom');
    expect(find(named, 'ConfigMap', 'probe')?.metadata?.namespace).toBe('helm-ns');
  });

  it('flattens a kind: List into its items (through the source registry, as every source)', () => {
    const out = renderSource(input(new MemoryFileTree(probe), 'probe', { helm: {} }));
    expect(find(out, 'ConfigMap', 'listed-a')).toBeDefined();
    expect(find(out, 'ConfigMap', 'listed-b')).toBeDefined();
    expect(out.objects.some((o) => o.kind === 'List')).toBe(false);
  });

  it('reads output go-yaml accepts: a flow sequence continued at the key’s indentation (as charts print it), block scalars untouched', () => {
    const out = renderProbe({}, {}, {
      'probe/templates/pod.yaml': [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: flow',
        '  annotations:',
        '    script: |',
        '      if [ "$x" = \'y\' ]; then',
        '      echo "[ unbalanced"',
        '      fi',
        'spec:',
        '  containers:',
        '  - name: c',
        '    command: [ "/bin/sh",',
        '    "-ce",',
        '    "cp a b &&',
        '    run --flag" ]',
        '',
      ].join('\n'),
    });
    expect(out.problems).toEqual([]);
    const pod = find(out, 'Pod', 'flow') as { metadata: { annotations: Record<string, string> }; spec: { containers: { command: string[] }[] } };
    expect(pod.spec.containers[0]!.command).toEqual(['/bin/sh', '-ce', 'cp a b && run --flag']);
    expect(pod.metadata.annotations.script).toBe('if [ "$x" = \'y\' ]; then\necho "[ unbalanced"\nfi\n');
  });

  it('skipCrds, skipTests', () => {
    const out = renderProbe({ skipCrds: true, skipTests: true });
    expect(out.problems).toEqual([]);
    expect(find(out, 'CustomResourceDefinition', 'widgets.example.com')).toBeUndefined();
    expect(find(out, 'Pod', 'smoke')).toBeUndefined();
    expect(find(out, 'Job', 'migrate')).toBeDefined();
  });

  it('value files: chart-relative, /repo-root, $ARGOCD_APP_NAME in the path, later files win', () => {
    expect(probeData(renderProbe({ valueFiles: ['env/prod.yaml'] })).greeting).toBe('prod');
    expect(probeData(renderProbe({ valueFiles: ['env/prod.yaml', '/shared/common.yaml'] })).greeting).toBe('from-repo-root');
    expect(probeData(renderProbe({ valueFiles: ['/$ARGOCD_APP_NAME-helm-source/probe-values.yaml'] }, { env: { ARGOCD_APP_NAME: 'probe' } })).greeting).toBe('from-app-name-path');
  });

  it('value file globs expand in lexical order; an explicit entry keeps its own position', () => {
    expect(probeData(renderProbe({ valueFiles: ['env/*.yaml'] })).from).toBe('prod');
    expect(probeData(renderProbe({ valueFiles: ['env/*.yaml', 'env/a.yaml'] })).from).toBe('a');
    const none = renderProbe({ valueFiles: ['nothing/*.yaml'] });
    expect(none.problems[0]).toMatchObject({ severity: 'error', app: 'probe-app' });
    expect(none.problems[0]!.message).toContain('matched no files');
  });

  it('a missing value file is a Problem naming the app and the file, unless ignoreMissingValueFiles', () => {
    const out = renderProbe({ valueFiles: ['does-not-exist.yaml'] });
    expect(out.objects).toEqual([]);
    expect(out.problems).toEqual([expect.objectContaining({ severity: 'error', app: 'probe-app', file: 'probe/does-not-exist.yaml' })]);
    expect(out.problems[0]!.message).toContain('does not exist');
    expect(probeData(renderProbe({ valueFiles: ['does-not-exist.yaml', 'env/prod.yaml'], ignoreMissingValueFiles: true })).greeting).toBe('prod');
  });

  it('refuses a value file outside the repository', () => {
    const out = renderProbe({ valueFiles: ['../../../etc/passwd'] });
    expect(out.objects).toEqual([]);
    expect(out.problems[0]).toMatchObject({ severity: 'error', app: 'probe-app' });
    expect(out.problems[0]!.message).toBe("file '../../../etc/passwd' resolved to outside repository root");
  });

  it('refuses a value file or file parameter that is a symbolic link leaving the repository; one inside is read', () => {
    const tree = new MemoryFileTree(probe);
    tree.setLink('probe/evil.yaml', '../../../etc/passwd');
    tree.setLink('probe/linked.yaml', 'env/prod.yaml');
    const evil = helmSource.render(input(tree, 'probe', { helm: { valueFiles: ['evil.yaml'] } }));
    expect(evil.problems[0]!.message).toBe("file 'evil.yaml' resolved to outside repository root");
    const globbed = helmSource.render(input(tree, 'probe', { helm: { valueFiles: ['*.yaml'] } }));
    expect(globbed.problems[0]!.message).toContain('resolved to outside repository root');
    const param = helmSource.render(input(tree, 'probe', { helm: { fileParameters: [{ name: 'file', path: 'evil.yaml' }] } }));
    expect(param.problems[0]!.message).toBe("file 'evil.yaml' resolved to outside repository root");
    expect(probeData(helmSource.render(input(tree, 'probe', { helm: { valueFiles: ['linked.yaml'] } }))).greeting).toBe('prod');
  });

  it('$ref/ value files read the ref source; an unknown ref is refused', () => {
    const values = new MemoryFileTree({ 'envs/prod/values.yaml': 'greeting: from-ref\n' });
    const refs = new Map([['values', values]]);
    expect(probeData(renderProbe({ valueFiles: ['$values/envs/prod/values.yaml'] }, { refs })).greeting).toBe('from-ref');
    expect(probeData(renderProbe({ valueFiles: ['$ARGOCD_APP_NAME/v.yaml'] }, { refs }, { 'probe/probe-app/v.yaml': 'greeting: by-app\n' })).greeting).toBe('by-app');
    const bad = renderProbe({ valueFiles: ['$other/x.yaml'] }, { refs });
    expect(bad.problems[0]!.message).toBe('source referenced "$other", which is not one of the available sources ($values)');
  });

  it('values and valuesObject: valuesObject wins, both come after value files', () => {
    expect(probeData(renderProbe({ values: 'greeting: from-values\n' })).greeting).toBe('from-values');
    expect(probeData(renderProbe({ values: 'greeting: from-values\n', valuesObject: { greeting: 'from-object' } })).greeting).toBe('from-object');
    expect(probeData(renderProbe({ valueFiles: ['env/prod.yaml'], valuesObject: { greeting: 'from-object' } })).greeting).toBe('from-object');
  });

  it('parameters: --set types values, forceString keeps strings, $ARGOCD_APP_* substituted, commas escaped, {lists} kept', () => {
    const d = probeData(
      renderProbe({
        parameters: [
          { name: 'num', value: '42' },
          { name: 'greeting', value: 'hi-$ARGOCD_APP_NAME' },
          { name: 'list', value: '{a,b,c}' },
          { name: 'extra', value: 'x,y' },
        ],
      }),
    );
    expect(d.num).toBe('42');
    expect(d.greeting).toBe('hi-probe-app');
    expect(d.list).toBe('["a","b","c"]');
    expect(d.extra).toBe('"x,y"');
    expect(probeData(renderProbe({ parameters: [{ name: 'num', value: '42', forceString: true }] })).num).toBe('"42"');
    // parameters win over values and value files
    expect(probeData(renderProbe({ valuesObject: { greeting: 'obj' }, parameters: [{ name: 'greeting', value: 'param' }] })).greeting).toBe('param');
  });

  it('fileParameters: --set-file reads the file from the repository', () => {
    expect(probeData(renderProbe({ fileParameters: [{ name: 'file', path: 'files/cert.pem' }] })).file).toBe('CERTIFICATE-BYTES');
    const missing = renderProbe({ fileParameters: [{ name: 'file', path: 'files/none.pem' }] });
    expect(missing.problems[0]).toMatchObject({ app: 'probe-app', file: 'probe/files/none.pem' });
  });

  it('kubeVersion and apiVersions: the source wins, else the target cluster’s', () => {
    const fromCluster = probeData(renderProbe({}, { kubeVersion: '1.31.2', apiVersions: ['example.com/v1/Widget'] }));
    expect(fromCluster.kubeVersion).toBe('v1.31.2');
    expect(fromCluster.hasWidget).toBe('true');
    const fromSource = probeData(renderProbe({ kubeVersion: '1.29.1', apiVersions: ['apps/v1'] }, { kubeVersion: '1.31.2', apiVersions: ['example.com/v1/Widget'] }));
    expect(fromSource.kubeVersion).toBe('v1.29.1');
    expect(fromSource.hasWidget).toBe('false');
  });

  it('skipSchemaValidation: a values.schema.json refusal is a Problem, skipped on request', () => {
    const schema = { 'probe/values.schema.json': JSON.stringify({ type: 'object', properties: { num: { type: 'string' } } }) };
    const refused = renderProbe({}, {}, schema);
    expect(refused.objects).toEqual([]);
    expect(refused.problems[0]!.message).toMatch(/schema/);
    expect(probeData(renderProbe({ skipSchemaValidation: true }, {}, schema)).num).toBe('1');
  });

  it('a template that fails is a Problem naming the app, the template file and its line', () => {
    const out = renderProbe({}, {}, { 'probe/templates/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.nope.deeper }}\n' });
    expect(out.objects).toEqual([]);
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]).toMatchObject({ severity: 'error', app: 'probe-app', file: 'probe/templates/broken.yaml', line: 4 });
    expect(out.problems[0]!.message).toMatch(/nil pointer evaluating interface \{\}\.deeper/);
  });

  it('local chart dependencies: vendored in charts/, or file:// built with helm dependency build', () => {
    const lib = { 'common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.2.0\n', 'common/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-common\n' };
    const parent = {
      'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: common\n  version: 0.2.0\n  repository: file://../common\n',
      'app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-app\n',
    };
    const built = helmSource.render(input(new MemoryFileTree({ ...lib, ...parent }), 'app', {}));
    expect(built.problems).toEqual([]);
    expect(built.objects.map((o) => (o.metadata as { name: string }).name).sort()).toEqual(['from-app', 'from-common']);
    const vendored = helmSource.render(
      input(new MemoryFileTree({ 'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n', 'app/templates/cm.yaml': parent['app/templates/cm.yaml'], 'app/charts/common/Chart.yaml': lib['common/Chart.yaml'], 'app/charts/common/templates/cm.yaml': lib['common/templates/cm.yaml'] }), 'app', {}),
    );
    expect(vendored.objects.map((o) => (o.metadata as { name: string }).name).sort()).toEqual(['from-app', 'from-common']);
    const outside = helmSource.render(input(new MemoryFileTree({ 'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: x\n  version: 1.0.0\n  repository: file://../../x\n' }), 'app', {}));
    expect(outside.problems[0]!.message).toContain('outside the repository');
  });

  it('a folder without Chart.yaml is refused with the folder named', () => {
    const out = helmSource.render(input(new MemoryFileTree({ 'plain/cm.yaml': 'kind: ConfigMap\n' }), 'plain', { helm: {} }));
    expect(out.problems[0]).toMatchObject({ app: 'probe-app', file: 'plain' });
  });
});

describe('Helm sources without helm', () => {
  it('say that helm is missing instead of rendering nothing', () => {
    const out = helmSource.render({ ...input(new MemoryFileTree(guestbook), 'helm-guestbook', {}), tools: {} });
    expect(out.objects).toEqual([]);
    expect(out.problems[0]!.message).toMatch(/helm is not installed/);
  });
  it('report a wrongly typed option with its field', () => {
    const out = helmSource.render({ ...input(new MemoryFileTree(guestbook), 'helm-guestbook', { helm: { valueFiles: 'values.yaml' } }), tools: {} });
    expect(out.problems[0]!.message).toBe('spec.source.helm.valueFiles must be a list of strings');
  });
});
