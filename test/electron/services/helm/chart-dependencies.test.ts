import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHelm } from '../../../../electron/services/helm/helm-binary';
import { createSourceTools } from '../../../../electron/services/sources/source-tools';
import { renderApplication } from '../../../../shared/fleet/render-apps';
import type { Application } from '../../../../shared/model/application';
import { MemoryFileTree } from '../../../../shared/repo/file-tree';
import { tempDir, writeFiles } from '../../../helpers/git-fixtures';

// A chart in the repository whose dependency comes from a Helm repository and is not vendored (argocd-example-apps'
// helm-dependency): as Argo CD's repo-server, the dependency repository is added and `helm dependency build` fetches
// it, here from a real repository on loopback; one that cannot be reached is named in the Problem.

const helm = findHelm();

const SERVER = `
const http = require('node:http'); const fs = require('node:fs'); const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const server = http.createServer((req, res) => {
  const file = path.join(workerData.dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!file.startsWith(workerData.dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200); res.end(fs.readFileSync(file));
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

describe.skipIf(!helm)('chart dependencies from a Helm repository', () => {
  const work = tempDir('flotilla-helm-deps-');
  const repoDir = path.join(work.dir, 'repo');
  let worker: Worker | undefined;
  let url = '';

  beforeAll(async () => {
    const src = path.join(work.dir, 'src', 'greeter');
    writeFiles(src, {
      'Chart.yaml': 'apiVersion: v2\nname: greeter\nversion: 1.0.0\n',
      'values.yaml': 'greeting: hello\n',
      'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-greeter\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
    });
    execFileSync(helm!, ['package', src, '--destination', repoDir], { stdio: 'ignore' });
    worker = new Worker(SERVER, { eval: true, workerData: { dir: repoDir } });
    url = `http://127.0.0.1:${await new Promise<number>((resolve) => worker!.once('message', resolve))}`;
    execFileSync(helm!, ['repo', 'index', repoDir, '--url', url], { stdio: 'ignore' });
  });
  afterAll(async () => {
    await worker?.terminate();
    work.cleanup();
  });

  const render = (repository: string) => {
    const tree = new MemoryFileTree({
      'app/Chart.yaml': `apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: greeter\n  version: 1.0.0\n  repository: ${repository}\n`,
      'app/values.yaml': 'greeter:\n  greeting: from-parent\n',
    });
    const app: Application = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'deps' },
      spec: { project: 'default', source: { repoURL: 'https://git.example.com/r.git', targetRevision: 'HEAD', path: 'app' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'web' } },
    };
    const tools = createSourceTools({ dataDir: path.join(work.dir, 'data'), helm: helm!, jsonnet: null });
    return { rendered: renderApplication(app, { treeAt: () => tree }, { clusters: [], loadRestrictor: 'rootOnly', tools }), tools };
  };

  it('adds the dependency repository and builds the dependency, then renders the parent with it', () => {
    const { rendered, tools } = render(url);
    expect(rendered.problems).toEqual([]);
    expect(rendered.objects).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deps-greeter', namespace: 'web' }, data: { greeting: 'from-parent' } }]);
    expect(tools.helmTemplater!.stats.dependencyBuilds).toBe(1);
  });

  it('names the dependency repository it cannot reach', () => {
    const { rendered } = render('http://127.0.0.1:1/charts');
    expect(rendered.objects).toEqual([]);
    expect(rendered.problems[0]!.message).toContain('chart dependencies cannot be fetched: helm repo add http://127.0.0.1:1/charts failed:');
  });
});
