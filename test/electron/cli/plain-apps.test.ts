import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

const REPO = 'https://git.example.com/team/gitops.git';

const app = (name: string, path: string, extra = ''): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: ${extra || 'default'}
  source:
    repoURL: ${REPO}
    targetRevision: HEAD
    path: ${path}
  destination:
    server: https://dev.example
    namespace: ${name}
`;

// A repository as many teams start: no ApplicationSet, plain Applications committed beside their manifests, an app of
// apps, and an AppProject.
describe('flotilla apps and render on a repository of plain Applications (a real git repository)', () => {
  let repo: { dir: string; cleanup: () => void };
  beforeAll(() => {
    repo = tempDir();
    git(repo.dir, 'init', '-q', '-b', 'main');
    writeFiles(repo.dir, {
      'flotilla.yaml': `apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata: {name: team}\nspec:\n  repoURL: ${REPO}\n  clusters:\n    - {name: dev, server: https://dev.example, environment: dev}\n`,
      'argocd/root.yaml': app('root', 'argocd/apps').replace('namespace: root', 'namespace: argocd'),
      'argocd/apps/guestbook.yaml': app('guestbook', 'guestbook'),
      'argocd/apps/locked.yaml': app('locked', 'guestbook', 'locked'),
      'argocd/projects/locked.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: locked, namespace: argocd}\nspec:\n  sourceRepos: ['https://github.com/other/*']\n  destinations: [{server: '*', namespace: '*'}]\n`,
      'guestbook/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: guestbook-ui\nspec:\n  selector:\n    matchLabels: {app: guestbook-ui}\n  template:\n    metadata:\n      labels: {app: guestbook-ui}\n    spec:\n      containers:\n        - name: ui\n          image: gcr.io/heptio-images/ks-guestbook-demo:0.2\n',
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.token }}\nstringData: {token: {{ .Values.token }}}\n{{- end }}\n',
    });
    commitAll(repo.dir, 'plain applications');
  });
  afterAll(() => repo.cleanup());

  it('lists every Application with its origin: a file, or the app of apps that renders it', async () => {
    const r = await cli(['apps', '--repo', repo.dir]);
    const lines = r.out.split('\n');
    expect(lines.find((l) => l.startsWith('root '))).toMatch(/^root\s+file argocd\/root\.yaml:1\s+default\s+https:\/\/dev\.example\s+argocd\s+argocd\/apps$/);
    expect(lines.find((l) => l.startsWith('guestbook '))).toMatch(/^guestbook\s+rendered by app root\s+default\s+https:\/\/dev\.example\s+guestbook\s+guestbook$/);
    // The chart's templates are not parsed: no YAML error for its `{{ }}`.
    expect(r.err).not.toContain('charts/web');
    // The app its project refuses is flagged, alone, in Argo CD's words; the exit code says there is an error.
    expect(r.err).toBe("error: argocd/projects/locked.yaml:1: application repo https://git.example.com/team/gitops.git is not permitted in project 'locked' (app locked)\n");
    expect(r.code).toBe(2);
  });

  it('prints each app with its origin, parent and file as JSON', async () => {
    const r = await cli(['apps', '--repo', repo.dir, '-o', 'json']);
    const data = JSON.parse(r.out) as { name: string; origin: string; parent?: string; file?: string; line?: number; problems: string[] }[];
    expect(data.map((a) => a.name).sort()).toEqual(['guestbook', 'locked', 'root']);
    expect(data.find((a) => a.name === 'guestbook')).toMatchObject({ origin: 'rendered by app root', parent: 'root', file: 'argocd/apps/guestbook.yaml', line: 1, problems: [] });
    expect(data.find((a) => a.name === 'locked')!.problems).toHaveLength(1);
    expect(data.find((a) => a.name === 'root')).toMatchObject({ origin: 'file argocd/root.yaml:1', problems: [] });
  });

  it('renders a plain Application from its source folder', async () => {
    const r = await cli(['render', '--repo', repo.dir, '--app', 'guestbook']);
    // stderr names the source type that rendered the source; nothing else.
    expect(r.err).toBe('guestbook: source 1: directory at guestbook → 1 object\n');
    expect(r.code).toBe(0);
    expect(r.out).toContain('kind: Deployment');
    expect(r.out).toContain('image: gcr.io/heptio-images/ks-guestbook-demo:0.2');
  });

  it('renders the app of apps to the Application objects it deploys', async () => {
    const r = await cli(['render', '--repo', repo.dir, '--app', 'root']);
    expect(r.code).toBe(0);
    expect(r.out.match(/^kind: Application$/gm)).toHaveLength(2);
  });

  it('names an unknown app and exits 2', async () => {
    const r = await cli(['render', '--repo', repo.dir, '--app', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no Application named nope');
  });
});
