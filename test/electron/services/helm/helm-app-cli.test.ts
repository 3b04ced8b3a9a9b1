import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHelm } from '../../../../electron/services/helm/helm-binary';
import { commitAll, git, tempDir, writeFiles } from '../../../helpers/git-fixtures';
import { repoRoot } from '../../../helpers/paths';
import { cli } from '../../../helpers/run-cli';

// A Helm chart app in a real git repository, through the CLI: it renders (it used to render as nothing), and a
// chart that fails is a Problem on that app alone.

const helm = findHelm();

describe.skipIf(!helm)('flotilla render --app for Helm chart apps', () => {
  let repo: { dir: string; cleanup: () => void };
  beforeAll(() => {
    repo = tempDir('flotilla-helm-app-');
    git(repo.dir, 'init', '-q', '-b', 'main');
    cpSync(path.join(repoRoot, 'test/fixtures/charts/helm-guestbook'), path.join(repo.dir, 'helm-guestbook'), { recursive: true });
    writeFiles(repo.dir, {
      'flotilla.yaml': 'apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata:\n  name: t\nspec:\n  repoURL: https://git.example.com/fleet.git\n  applicationSets: [appsets/*.yaml]\n  clusters:\n  - name: dev\n    server: https://127.0.0.1:16443\n',
      'appsets/guestbook.yaml': [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: ApplicationSet',
        'metadata: {name: guestbook, namespace: argocd}',
        'spec:',
        '  generators:',
        '  - list:',
        '      elements:',
        '      - {name: guestbook, path: helm-guestbook, vf: values-production.yaml}',
        '      - {name: broken, path: broken-chart, vf: values.yaml}',
        '  template:',
        "    metadata: {name: '{{name}}'}",
        '    spec:',
        '      project: default',
        '      source:',
        '        repoURL: https://git.example.com/fleet.git',
        '        targetRevision: HEAD',
        "        path: '{{path}}'",
        '        helm:',
        "          valueFiles: ['{{vf}}']",
        '      destination: {server: https://127.0.0.1:16443, namespace: web}',
        '',
      ].join('\n'),
      'broken-chart/Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 0.1.0\n',
      'broken-chart/values.yaml': 'x: 1\n',
      'broken-chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.missing.deeper }}\n',
    });
    commitAll(repo.dir, 'charts');
  });
  afterAll(() => repo?.cleanup());

  it('renders the chart with its value file, release = app name, namespace = destination', async () => {
    const r = await cli(['render', '--app', 'guestbook'], repo.dir);
    expect(r.err).not.toContain('error');
    expect(r.err).toContain('Helm chart helm-guestbook · release guestbook · namespace web · value files values-production.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toContain('kind: Service');
    expect(r.out).toContain('type: LoadBalancer');
    expect(r.out).toContain('kind: Deployment');
    expect(r.out).toContain('name: guestbook-helm-guestbook');
  });

  it('a failing chart is a Problem naming the app, template file and line; the other app still renders', async () => {
    const dir = tempDir('flotilla-helm-out-');
    try {
      const r = await cli(['render', '--all', '-o', dir.dir], repo.dir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/error: broken-chart\/templates\/cm\.yaml:4:\d+: helm template failed: .*nil pointer.* \(app broken\)/);
      expect(r.err).toContain('wrote 1 of 2 Applications');
    } finally {
      dir.cleanup();
    }
  });

  it('an app of apps that is a Helm chart makes its templated Applications apps', async () => {
    writeFiles(repo.dir, {
      'appsets/root.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: root, namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: https://git.example.com/fleet.git, targetRevision: HEAD, path: root-chart, helm: {valuesObject: {envs: [dev, prod]}}}\n  destination: {server: https://127.0.0.1:16443, namespace: argocd}\n',
      'root-chart/Chart.yaml': 'apiVersion: v2\nname: root\nversion: 0.1.0\n',
      'root-chart/templates/apps.yaml':
        '{{- range .Values.envs }}\n---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: guestbook-{{ . }}, namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: https://git.example.com/fleet.git, targetRevision: HEAD, path: helm-guestbook}\n  destination: {server: https://127.0.0.1:16443, namespace: {{ . }}}\n{{- end }}\n',
    });
    commitAll(repo.dir, 'helm app of apps');
    const r = await cli(['apps', '-o', 'json'], repo.dir);
    const data = JSON.parse(r.out) as { name: string; parent?: string }[];
    expect(data.filter((a) => a.parent === 'root').map((a) => a.name).sort()).toEqual(['guestbook-dev', 'guestbook-prod']);
    const child = await cli(['render', '--app', 'guestbook-prod'], repo.dir);
    expect(child.code).toBe(0);
    expect(child.out).toContain('name: guestbook-prod-helm-guestbook');
  });
});
