import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHelm } from '../../../../electron/services/helm/helm-binary';
import { commitAll, git, tempDir, writeFiles } from '../../../helpers/git-fixtures';
import { cli } from '../../../helpers/run-cli';

// kustomize's helmCharts through the helm binary (.ci/run installs it): the same bytes as
// `kubectl kustomize --enable-helm`, from the working tree and from git objects.
const helm = findHelm();

describe.skipIf(!helm)('helmCharts through the helm binary', () => {
  let repo: { dir: string; cleanup: () => void };
  beforeAll(() => {
    repo = tempDir('flotilla-helm-');
    git(repo.dir, 'init', '-q', '-b', 'main');
    writeFiles(repo.dir, {
      'apps/cache/charts/redis-lite/Chart.yaml': 'apiVersion: v2\nname: redis-lite\nversion: 0.1.0\n',
      'apps/cache/charts/redis-lite/values.yaml': 'replicas: 1\nimage: redis:7\n',
      'apps/cache/charts/redis-lite/templates/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\nspec:\n  replicas: {{ .Values.replicas }}\n  selector:\n    matchLabels: {app: {{ .Release.Name }}}\n  template:\n    metadata:\n      labels: {app: {{ .Release.Name }}}\n    spec:\n      containers:\n      - name: redis\n        image: {{ .Values.image }}\n',
      'apps/cache/values-prod.yaml': 'image: redis:7.2\n',
      'apps/cache/kustomization.yaml':
        'namePrefix: prod-\nhelmCharts:\n- name: redis-lite\n  releaseName: cache\n  namespace: data\n  valuesFile: values-prod.yaml\n  valuesInline:\n    replicas: 3\n',
    });
    commitAll(repo.dir, 'chart');
  });
  afterAll(() => repo?.cleanup());

  it('renders a local chart exactly as kubectl kustomize --enable-helm does, from the working tree and from git', async () => {
    const expected = execFileSync('kubectl', ['kustomize', '--enable-helm', '--helm-command', helm!, path.join(repo.dir, 'apps/cache')], { encoding: 'utf8' });
    expect(expected).toContain('replicas: 3');
    const fromTree = await cli(['render', 'apps/cache'], repo.dir);
    expect(fromTree.err).toBe('');
    expect(fromTree.out).toBe(expected);
    const fromGit = await cli(['render', 'apps/cache', '--revision', 'HEAD'], repo.dir);
    expect(fromGit.out).toBe(expected);
  });

  it('names the chart and helm’s own error when the chart does not render', async () => {
    writeFiles(repo.dir, { 'apps/cache/charts/redis-lite/templates/broken.yaml': '{{ .Values.nope.deeper }}\n' });
    const r = await cli(['render', 'apps/cache'], repo.dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/apps\/cache\/kustomization\.yaml: helm template redis-lite: .*nil pointer|apps\/cache\/kustomization\.yaml: helm template redis-lite: .*nope/);
  });
});
