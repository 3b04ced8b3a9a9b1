import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHelm } from '../../../electron/services/helm/helm-binary';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import { cli } from '../../helpers/run-cli';

// Argo CD builds Kustomize sources with the flags of argocd-cm's `kustomize.buildOptions` only: `helmCharts` are
// refused with kustomize's own error unless they include --enable-helm. Flotilla reads them from the fleet file
// (spec.kustomize.buildOptions) or from an argocd-cm ConfigMap committed to the repository.

const REPO_URL = 'https://git.example.com/team/kh.git';
const FLEET = `apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata: {name: kh}\nspec:\n  repoURL: ${REPO_URL}\n  clusters:\n  - {name: dev, server: 'https://127.0.0.1:16443'}\n`;
const KUSTOMIZATION = 'helmCharts:\n- name: redis-lite\n  releaseName: cache\n  namespace: data\n  valuesInline:\n    replicas: 3\n';
const files = {
  'apps/cache/charts/redis-lite/Chart.yaml': 'apiVersion: v2\nname: redis-lite\nversion: 0.1.0\n',
  'apps/cache/charts/redis-lite/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  replicas: "{{ .Values.replicas }}"\n',
  'apps/cache/kustomization.yaml': KUSTOMIZATION,
  'argocd/cache.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: cache, namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: '${REPO_URL}', targetRevision: HEAD, path: apps/cache}\n  destination: {server: 'https://127.0.0.1:16443', namespace: data}\n`,
};

function repoWith(extra: Record<string, string>): { dir: string; cleanup: () => void } {
  const repo = tempDir('flotilla-kh-');
  git(repo.dir, 'init', '-q', '-b', 'main');
  writeFiles(repo.dir, { ...files, ...extra });
  commitAll(repo.dir, 'a kustomization with helmCharts');
  return repo;
}

describe('helmCharts in a Kustomize source need --enable-helm in the build options', () => {
  const repos: { dir: string; cleanup: () => void }[] = [];
  let plain: string;
  beforeAll(() => {
    repos.push(repoWith({ 'flotilla.yaml': FLEET }));
    plain = repos[0]!.dir;
  });
  afterAll(() => {
    for (const r of repos) r.cleanup();
  });

  it("refuses them without it, with kustomize's own error at the kustomization, and says where to enable it", async () => {
    const r = await cli(['render', '--app', 'cache', '--offline'], plain);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const kustomizeSays = 'trouble configuring builtin HelmChartInflationGenerator with config: `\nname: redis-lite\nnamespace: data\nreleaseName: cache\nvaluesInline:\n  replicas: 3\n`: must specify --enable-helm';
    expect(r.err).toContain(`apps/cache/kustomization.yaml: ${kustomizeSays} (Argo CD builds with --enable-helm only when argocd-cm's kustomize.buildOptions has it`);
    // The same words as kustomize itself (kubectl's copy), when it is installed.
    let kubectl = '';
    try {
      execFileSync('kubectl', ['kustomize', `${plain}/apps/cache`], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      kubectl = String((err as { stderr?: string }).stderr ?? '');
    }
    if (kubectl) expect(kubectl.replace(/\n\t/g, '\n')).toContain(kustomizeSays);
  });

  it.skipIf(!findHelm())('renders them with spec.kustomize.buildOptions: --enable-helm in the fleet file', async () => {
    const repo = repoWith({ 'flotilla.yaml': `${FLEET}  kustomize:\n    buildOptions: --enable-helm --load-restrictor LoadRestrictionsRootOnly\n` });
    repos.push(repo);
    const r = await cli(['render', '--app', 'cache', '--offline'], repo.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('name: cache');
    expect(r.out).toContain('replicas: "3"');
    expect(r.err).toContain('build options --enable-helm --load-restrictor LoadRestrictionsRootOnly from flotilla.yaml spec.kustomize.buildOptions');
  });

  it.skipIf(!findHelm())('renders them with an argocd-cm ConfigMap in the repository that enables helm', async () => {
    const repo = repoWith({ 'flotilla.yaml': FLEET, 'argocd/argocd-cm.yaml': "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cm, namespace: argocd}\ndata:\n  kustomize.buildOptions: '--enable-helm'\n" });
    repos.push(repo);
    const r = await cli(['render', '--app', 'cache', '--offline'], repo.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('replicas: "3"');
    expect(r.err).toContain('from argocd-cm kustomize.buildOptions (argocd/argocd-cm.yaml:1)');
  });

  it('refuses a fleet file whose buildOptions is not a string, at its node', async () => {
    const repo = repoWith({ 'flotilla.yaml': `${FLEET}  kustomize:\n    buildOptions: [--enable-helm]\n` });
    repos.push(repo);
    const r = await cli(['apps'], repo.dir);
    expect(r.err).toContain('flotilla.yaml:9:19: fleet file: spec.kustomize.buildOptions: must be a string of kustomize build flags');
  });
});
