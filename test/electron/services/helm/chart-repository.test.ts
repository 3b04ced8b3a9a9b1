import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHelm } from '../../../../electron/services/helm/helm-binary';
import { createSourceTools } from '../../../../electron/services/sources/source-tools';
import { renderApplication } from '../../../../shared/fleet/render-apps';
import type { Application } from '../../../../shared/model/application';
import { MemoryFileTree } from '../../../../shared/repo/file-tree';
import { helmSource } from '../../../../shared/sources/helm-source';
import type { SourceInput, SourceTools } from '../../../../shared/sources/types';
import { tempDir, writeFiles } from '../../../helpers/git-fixtures';

// Charts from a real Helm repository served on loopback (`helm package` + `helm repo index` + an HTTP server in a
// worker thread, since helm runs synchronously on this thread): pulled, cached, then rendered offline from the cache.

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

function chartFiles(version: string): Record<string, string> {
  return {
    'Chart.yaml': `apiVersion: v2\nname: web\nversion: ${version}\n`,
    'values.yaml': 'greeting: hello\n',
    'values-prod.yaml': 'greeting: prod-from-chart\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  chartVersion: {{ .Chart.Version | quote }}\n',
  };
}

describe.skipIf(!helm)('charts from a Helm repository', () => {
  const work = tempDir('flotilla-helm-repo-');
  const repoDir = path.join(work.dir, 'repo');
  const dataDir = path.join(work.dir, 'data');
  let worker: Worker | undefined;
  let url = '';

  beforeAll(async () => {
    mkdirSync(repoDir, { recursive: true });
    for (const v of ['0.1.0', '0.2.0']) {
      const src = path.join(work.dir, `src-${v}`, 'web');
      writeFiles(src, chartFiles(v));
      execFileSync(helm!, ['package', src, '--destination', repoDir], { stdio: 'ignore' });
    }
    worker = new Worker(SERVER, { eval: true, workerData: { dir: repoDir } });
    const port = await new Promise<number>((resolve) => worker!.once('message', resolve));
    url = `http://127.0.0.1:${port}/charts`;
    // The repository lives under /charts to show that the URL's path is kept.
    execFileSync('mv', [repoDir, `${repoDir}-tmp`]);
    mkdirSync(repoDir);
    execFileSync('mv', [`${repoDir}-tmp`, path.join(repoDir, 'charts')]);
    execFileSync(helm!, ['repo', 'index', path.join(repoDir, 'charts'), '--url', url], { stdio: 'ignore' });
  });
  afterAll(async () => {
    await worker?.terminate();
    work.cleanup();
  });

  function render(tools: SourceTools, targetRevision: string, helmOpts: Record<string, unknown> = {}) {
    const input: SourceInput = {
      app: 'web',
      tree: new MemoryFileTree(),
      path: '',
      source: { repoURL: url, chart: 'web', targetRevision, helm: helmOpts },
      destinationNamespace: 'prod',
      env: { ARGOCD_APP_NAME: 'web' },
      refs: new Map(),
      loadRestrictor: 'rootOnly',
      tools,
    };
    return helmSource.render(input);
  }
  const data = (out: ReturnType<typeof render>) => {
    expect(out.problems).toEqual([]);
    return (out.objects[0] as { data: Record<string, string> }).data;
  };

  it('pulls a chart version once, renders it, and reads chart-relative value files inside the pulled chart', () => {
    const tools = createSourceTools({ dataDir, helm: helm!, jsonnet: null });
    expect(data(render(tools, '0.1.0'))).toEqual({ greeting: 'hello', chartVersion: '0.1.0' });
    expect(data(render(tools, '0.1.0', { valueFiles: ['values-prod.yaml'] }))).toEqual({ greeting: 'prod-from-chart', chartVersion: '0.1.0' });
    expect(tools.helmTemplater!.charts.pulls).toBe(1);
    expect(tools.helmTemplater!.stats.templates).toBe(2);
    // A constraint resolves against the repository index (helm pull --version).
    expect(data(render(tools, '0.*')).chartVersion).toBe('0.2.0');
    expect(tools.helmTemplater!.charts.pulls).toBe(2);
    expect(render(tools, '0.1.0', { valueFiles: ['../outside.yaml'] }).problems[0]!.message).toContain('outside repository root');
  });

  it('renders offline from the chart cache once the repository is gone, and says plainly what is not cached', async () => {
    await worker!.terminate();
    worker = undefined;
    const offline = createSourceTools({ dataDir, helm: helm!, jsonnet: null });
    expect(data(render(offline, '0.1.0', { values: 'greeting: offline\n' }))).toEqual({ greeting: 'offline', chartVersion: '0.1.0' });
    expect(data(render(offline, '0.*', { values: 'greeting: offline\n' })).chartVersion).toBe('0.2.0');
    expect(offline.helmTemplater!.charts.pulls).toBe(1); // the constraint tried the repository once, then the cache
    const missing = render(offline, '9.9.9');
    expect(missing.objects).toEqual([]);
    expect(missing.problems[0]).toMatchObject({ severity: 'error', app: 'web' });
    expect(missing.problems[0]!.message).toMatch(/could not pull chart web 9\.9\.9 from http:\/\/127\.0\.0\.1:\d+\/charts, and it is not in the chart cache/);
  });

  it('renders an Application whose source is a Helm repository chart, with value files from a ref source', () => {
    const tools = createSourceTools({ dataDir, helm: helm!, jsonnet: null });
    const values = new MemoryFileTree({ 'envs/prod.yaml': 'greeting: from-git\n' });
    const app: Application = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'web-prod' },
      spec: {
        project: 'default',
        sources: [
          { repoURL: url, chart: 'web', targetRevision: '0.1.0', helm: { valueFiles: ['$values/envs/prod.yaml'] } },
          { repoURL: 'https://git.example.com/values.git', targetRevision: 'main', ref: 'values' },
        ],
        destination: { server: 'https://kubernetes.default.svc', namespace: 'prod' },
      },
    };
    const rendered = renderApplication(app, { treeAt: () => values }, { clusters: [], loadRestrictor: 'rootOnly', tools });
    expect(rendered.problems).toEqual([]);
    expect(rendered.objects).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-prod', namespace: 'prod' }, data: { greeting: 'from-git', chartVersion: '0.1.0' } }]);
  });
});
