import { describe, expect, it } from 'vitest';
import { appRefusals, discoverApps, discoveryProblems } from '../../../shared/fleet/discover';
import { qualifiedAppName } from '../../../shared/fleet/app-name';
import { clusterForApp } from '../../../shared/fleet/destination';
import { fleetClusters } from '../../../shared/fleet/overview';
import { renderApplication } from '../../../shared/fleet/render-apps';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { scanRepository } from '../../../shared/repo/scan';

const REPO = 'https://git.example.com/fleet.git';

const application = (name: string, path: string, extra: { namespace?: string; project?: string; server?: string; destNamespace?: string; repoURL?: string } = {}): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
${extra.namespace ? `  namespace: ${extra.namespace}\n` : ''}spec:
  project: ${extra.project ?? 'default'}
  source:
    repoURL: ${extra.repoURL ?? REPO}
    targetRevision: HEAD
    path: ${path}
  destination:
    server: ${extra.server ?? 'https://dev.example'}
    namespace: ${extra.destNamespace ?? name}
`;

const FLEET = `apiVersion: flotilla.dev/v1alpha1
kind: Fleet
metadata: {name: f}
spec:
  repoURL: ${REPO}
  clusters:
    - name: dev
      server: https://dev.example
      environment: dev
`;

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n';

function discover(files: Record<string, string>, opts: Parameters<typeof discoverApps>[2] = {}) {
  const tree = new MemoryFileTree({ 'flotilla.yaml': FLEET, ...files });
  const scan = scanRepository(tree);
  const git = { treeAt: () => tree };
  return { scan, tree, git, found: discoverApps(scan, git, opts) };
}

describe('plain Applications in the repository', () => {
  it('makes every Application document an app, with its file and line as origin, in multi-document files too', () => {
    const { found } = discover({
      'apps/guestbook.yaml': application('guestbook', 'guestbook'),
      'apps/more.yaml': `${application('one', 'one')}---\n${application('two', 'two')}`,
      'guestbook/cm.yaml': CONFIGMAP,
    });
    expect(found.apps.map((a) => [a.name, a.origin])).toEqual([
      ['guestbook', { kind: 'file', file: 'apps/guestbook.yaml', line: 1 }],
      ['one', { kind: 'file', file: 'apps/more.yaml', line: 1 }],
      ['two', { kind: 'file', file: 'apps/more.yaml', line: 15 }],
    ]);
    expect(found.apps.every((a) => a.appset === '' && a.explain === undefined)).toBe(true);
    expect(discoveryProblems(found)).toEqual([]);
  });

  it("names apps as Argo CD does: plain in the control plane's namespace, namespace/name elsewhere", () => {
    expect(qualifiedAppName({ name: 'a' })).toBe('a');
    expect(qualifiedAppName({ name: 'a', namespace: 'argocd' })).toBe('a');
    expect(qualifiedAppName({ name: 'a', namespace: 'team-a' })).toBe('team-a/a');
    const { found } = discover({
      'apps/a.yaml': application('web', 'web', { namespace: 'argocd' }),
      'apps/b.yaml': application('web', 'web', { namespace: 'team-a' }),
    });
    expect(found.apps.map((a) => a.name)).toEqual(['web', 'team-a/web']);
    // Same name in two namespaces is two apps, not a duplicate; but the default project admits no other namespace.
    expect(discoveryProblems(found).filter((p) => p.severity === 'error')).toEqual([
      { severity: 'error', app: 'team-a/web', message: "application 'web' in namespace 'team-a' is not permitted to use project 'default'" },
    ]);
  });

  it('flags a name defined twice on both files and keeps the first', () => {
    const { found } = discover({ 'apps/a.yaml': application('web', 'web'), 'apps/b.yaml': application('web', 'other') });
    expect(found.apps).toHaveLength(1);
    expect(found.apps[0]!.application.spec.source?.path).toBe('web');
    const errors = discoveryProblems(found).filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.file}:${p.line}`).sort()).toEqual(['apps/a.yaml:1', 'apps/b.yaml:1']);
    expect(errors[0]!.message).toContain('Application web is defined twice: by file apps/a.yaml:1 and by file apps/b.yaml:1');
  });

  it('reports an Application without a name or spec with its file and line, and keeps the others', () => {
    const { found } = discover({
      'apps/bad.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {}\nspec:\n  project: default\n',
      'apps/nospec.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: x}\n',
      'apps/nosource.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: nosrc}\nspec:\n  destination: {server: https://dev.example}\n',
      'apps/good.yaml': application('good', 'good'),
    });
    // An Application with no source is still an app (Argo CD shows it, refusing to sync it): listed, with its error.
    expect(found.apps.map((a) => a.name)).toEqual(['good', 'nosrc']);
    expect(found.problems.map((p) => `${p.file}:${p.line}: ${p.message}${p.app ? ` (app ${p.app})` : ''}`)).toEqual([
      'apps/bad.yaml:1: Application has no metadata.name',
      'apps/nosource.yaml:1: Application nosrc has no source (spec.source or spec.sources) (app nosrc)',
      'apps/nospec.yaml:1: Application x has no spec',
    ]);
  });

  it('never parses Helm chart templates, and a chart file that is not YAML is no repository error', () => {
    const { scan, found } = discover({
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/values.yaml': 'replicas: {{ not yaml\n',
      'charts/web/templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\ndata: {}\n{{- end }}\n',
      'charts/web/templates/app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {{ .Values.name }}\n',
      'apps/web.yaml': application('web', 'charts/web'),
    });
    expect(scan.problems).toEqual([]);
    // The template may render Applications (app of apps through Helm): noted, not parsed.
    expect(scan.appBearingFiles).toContain('charts/web/templates/app.yaml');
    expect(found.apps.map((a) => a.name)).toEqual(['web']);
  });
});

describe('app of apps', () => {
  const root = (path: string, name = 'root'): string => application(name, path, { destNamespace: 'argocd' });

  it('makes the Applications an app renders apps too, with the parent shown, recursively', () => {
    const { found } = discover(
      {
        'bootstrap/root.yaml': root('apps'),
        'apps/web.yaml': application('web', 'web'),
        'apps/team.yaml': application('team', 'team-apps', { destNamespace: 'argocd' }),
        'team-apps/api.yaml': application('api', 'api'),
        'web/cm.yaml': CONFIGMAP,
        'api/cm.yaml': CONFIGMAP,
      },
    );
    const origin = Object.fromEntries(found.apps.map((a) => [a.name, a.origin]));
    expect(origin['root']).toEqual({ kind: 'file', file: 'bootstrap/root.yaml', line: 1 });
    // Committed as files and rendered by a parent: one app each, shown with its parent.
    expect(origin['web']).toEqual({ kind: 'app', parent: 'root', file: 'apps/web.yaml', line: 1 });
    expect(origin['team']).toEqual({ kind: 'app', parent: 'root', file: 'apps/team.yaml', line: 1 });
    expect(origin['api']).toEqual({ kind: 'app', parent: 'team', file: 'team-apps/api.yaml', line: 1 });
    expect(discoveryProblems(found)).toEqual([]);
  });

  it('finds children only the parent renders (outside the scanned files), and the apps of an ApplicationSet it renders', () => {
    const { found } = discover(
      {
        'flotilla.yaml': FLEET.replace('spec:\n', 'spec:\n  applicationSets: [bootstrap/*.yaml]\n'),
        'bootstrap/root.yaml': root('apps'),
        'apps/web.yaml': application('web', 'web'),
        'apps/set.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: envs}
spec:
  generators:
    - list:
        elements: [{env: dev}, {env: qa}]
  template:
    metadata: {name: 'svc-{{env}}'}
    spec:
      project: default
      source: {repoURL: ${REPO}, targetRevision: HEAD, path: web}
      destination: {server: https://dev.example, namespace: '{{env}}'}
`,
        'web/cm.yaml': CONFIGMAP,
      },
    );
    expect(found.apps.map((a) => [a.name, a.origin.kind === 'app' ? a.origin.parent : '-', a.appset])).toEqual([
      ['root', '-', ''],
      ['web', 'root', ''],
      ['svc-dev', 'root', 'envs'],
      ['svc-qa', 'root', 'envs'],
    ]);
    expect(found.appsets.map((s) => [s.name, s.parent])).toEqual([['envs', 'root']]);
  });

  it('reports a cycle of apps of apps by name, and still lists each app once', () => {
    const { found } = discover({
      'a/app.yaml': application('a', 'b', { destNamespace: 'argocd' }),
      'b/app.yaml': application('b', 'a', { destNamespace: 'argocd' }),
    });
    expect(found.apps.map((a) => a.name).sort()).toEqual(['a', 'b']);
    expect(found.problems).toEqual([expect.objectContaining({ severity: 'error', app: 'a', message: 'app of apps cycle: a → b → a' })]);
  });

  it('stops at the depth bound with a problem naming the app', () => {
    const { found } = discover(
      {
        'bootstrap/root.yaml': root('l1'),
        'l1/app.yaml': application('l1', 'l2', { destNamespace: 'argocd' }),
        'l2/app.yaml': application('l2', 'l3', { destNamespace: 'argocd' }),
        'l3/cm.yaml': CONFIGMAP,
      },
      { maxDepth: 1 },
    );
    expect(found.problems.map((p) => p.message)).toContain('app of apps deeper than 1 levels: the apps that l1 renders are not followed');
  });

  it('renders only apps whose folders may hold Applications: a plain manifest app is never rendered', () => {
    const files = { 'apps/web.yaml': application('web', 'web'), 'apps/api.yaml': application('api', 'web'), 'web/cm.yaml': CONFIGMAP };
    // Every YAML file scanned (the default globs): the scan already knows no Application is under web/.
    const all = discover(files);
    let reads = 0;
    discoverApps(all.scan, { treeAt: () => (reads++, all.tree) });
    expect(reads).toBe(0);
    // Only apps/ scanned: web/ is looked into once for both apps (a render would ask for a tree per app).
    const some = discover({ ...files, 'flotilla.yaml': FLEET.replace('spec:\n', 'spec:\n  applicationSets: [apps/*.yaml]\n') });
    reads = 0;
    expect(discoverApps(some.scan, { treeAt: () => (reads++, some.tree) }).apps.map((a) => a.name)).toEqual(['api', 'web']);
    expect(reads).toBe(1);
  });

  it("follows a parent's kustomization to Applications outside its folder, and only then renders it", () => {
    const { found } = discover(
      {
        'flotilla.yaml': FLEET.replace('spec:\n', 'spec:\n  applicationSets: [bootstrap/*.yaml]\n'),
        'bootstrap/root.yaml': root('envs/dev'),
        'envs/dev/kustomization.yaml': 'resources:\n  - ../../apps\n',
        'apps/kustomization.yaml': 'resources:\n  - web.yaml\n',
        'apps/web.yaml': application('web', 'web'),
        'web/cm.yaml': CONFIGMAP,
      },
    );
    expect(found.apps.map((a) => [a.name, a.origin.kind === 'app' ? a.origin.parent : '-'])).toEqual([['root', '-'], ['web', 'root']]);
  });

  it('says which parent could not be rendered, and keeps every other app', () => {
    const { found } = discover({ 'bootstrap/root.yaml': root('apps'), 'apps/kustomization.yaml': 'resources: [missing.yaml]\n', 'apps/web.yaml': application('web', 'web') });
    expect(found.apps.map((a) => a.name).sort()).toEqual(['root', 'web']);
    expect(found.problems).toEqual([expect.objectContaining({ severity: 'warning', app: 'root', message: expect.stringContaining('the Applications that root may render are unknown') })]);
  });
});

describe('AppProjects of the repository', () => {
  const PROJECT = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: team, namespace: argocd}
spec:
  sourceRepos: ['${REPO}']
  destinations:
    - {server: https://dev.example, namespace: 'team-*'}
  namespaceResourceBlacklist:
    - {group: '', kind: Secret}
`;

  it('flags an app its project refuses, on that app alone, in Argo CD words', () => {
    const { found } = discover({
      'projects/team.yaml': PROJECT,
      'apps/ok.yaml': application('ok', 'ok', { project: 'team', destNamespace: 'team-a' }),
      'apps/wrong-ns.yaml': application('wrong-ns', 'ok', { project: 'team', destNamespace: 'kube-system' }),
      'apps/wrong-repo.yaml': application('wrong-repo', 'ok', { project: 'team', destNamespace: 'team-b', repoURL: 'https://github.com/elsewhere/x.git' }),
    });
    const byName = Object.fromEntries(found.apps.map((a) => [a.name, (a.problems ?? []).map((p) => p.message)]));
    expect(byName['ok']).toEqual([]);
    expect(byName['wrong-ns']).toEqual(["application destination server 'https://dev.example' and namespace 'kube-system' do not match any of the allowed destinations in project 'team'"]);
    expect(byName['wrong-repo']).toEqual(["application repo https://github.com/elsewhere/x.git is not permitted in project 'team'"]);
  });

  it('names the second file of an AppProject declared twice, and uses the first', () => {
    const { found } = discover({ 'projects/a.yaml': PROJECT, 'projects/b.yaml': PROJECT.replace("sourceRepos: ['", "sourceRepos: ['https://nowhere/', '") });
    expect(found.problems).toEqual([{ severity: 'error', message: 'AppProject team is declared twice (also at projects/a.yaml:1); the first is used', file: 'projects/b.yaml', line: 1 }]);
    expect(found.projects.get('team')?.file).toBe('projects/a.yaml');
  });

  it('refuses rendered kinds the project forbids (checked on the rendered objects)', () => {
    const { found, git, scan } = discover({
      'projects/team.yaml': PROJECT,
      'apps/ok.yaml': application('ok', 'ok', { project: 'team', destNamespace: 'team-a' }),
      'ok/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n',
      'ok/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n',
    });
    const row = found.apps[0]!;
    const clusters = fleetClusters(scan);
    const rendered = renderApplication(row.application, git, { clusters, loadRestrictor: 'rootOnly' });
    expect(appRefusals(found, row, rendered.objects, clusters).map((p) => p.message)).toEqual(['resource :Namespace is not permitted in project team', 'resource :Secret is not permitted in project team']);
  });
});

describe("Argo CD's in-cluster", () => {
  const APPSET = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: everywhere}
spec:
  generators:
    - clusters: {}
  template:
    metadata: {name: 'web-{{name}}'}
    spec:
      project: default
      source: {repoURL: ${REPO}, targetRevision: HEAD, path: web}
      destination: {server: '{{server}}', namespace: web}
`;

  it('is added by the clusters generator with an empty selector, and said to match no kubeconfig context', () => {
    const { found } = discover({ 'appsets/a.yaml': APPSET, 'web/cm.yaml': CONFIGMAP });
    expect(found.apps.map((a) => a.name)).toEqual(['web-in-cluster', 'web-dev']);
    const inCluster = found.apps[0]!;
    expect(inCluster.application.spec.destination.server).toBe('https://kubernetes.default.svc');
    expect(inCluster.problems).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('no fleet cluster says `inCluster: true`, so no kubeconfig context matches it') })]);
  });

  it('is the fleet cluster that says inCluster: true: no extra in-cluster app, and its apps map to that cluster', () => {
    const fleet = FLEET.replace('      environment: dev\n', '      environment: dev\n      inCluster: true\n');
    const { found, scan } = discover({ 'flotilla.yaml': fleet, 'appsets/a.yaml': APPSET, 'web/cm.yaml': CONFIGMAP, 'apps/x.yaml': application('x', 'web', { server: 'https://kubernetes.default.svc' }) });
    expect(scan.problems).toEqual([]);
    expect(found.apps.map((a) => a.name)).toEqual(['web-dev', 'x']);
    const clusters = fleetClusters(scan);
    expect(found.apps.map((a) => clusterForApp(a.application, clusters)?.name)).toEqual(['dev', 'dev']);
    expect(discoveryProblems(found)).toEqual([]);
  });

  it('is validated in the fleet file: a boolean, on one cluster only', () => {
    const fleet = `apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata: {name: f}\nspec:\n  clusters:\n    - {name: a, inCluster: true}\n    - {name: b, inCluster: true}\n    - {name: c, inCluster: 'yes'}\n`;
    const scan = scanRepository(new MemoryFileTree({ 'flotilla.yaml': fleet }));
    expect(scan.problems.map((p) => p.message)).toEqual([
      "fleet file: spec.clusters[1] (b) says inCluster: true, but a already is Argo CD's in-cluster; only one cluster can be",
      'fleet file: spec.clusters[2].inCluster must be true or false',
    ]);
    expect(scan.fleet.clusters.filter((c) => c.inCluster).map((c) => c.name)).toEqual(['a']);
  });
});
