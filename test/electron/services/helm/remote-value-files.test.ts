import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHelm } from '../../../../electron/services/helm/helm-binary';
import { createSourceTools } from '../../../../electron/services/sources/source-tools';
import { renderApplication } from '../../../../shared/fleet/render-apps';
import type { Application } from '../../../../shared/model/application';
import { MemoryFileTree } from '../../../../shared/repo/file-tree';
import { tempDir } from '../../../helpers/git-fixtures';

// Remote value files (`helm.valueFiles: [http(s)://…]`), as Argo CD allows them, from a real HTTP server on loopback
// (in a worker thread: the fetch blocks this one): fetched within a deadline and a size cap, kept on disk, used from
// there when the server is gone, and a clear Problem when a URL was never fetched.

const SERVER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const server = http.createServer((req, res) => {
  if (req.url === '/values.yaml') { res.writeHead(200, { 'content-type': 'text/yaml' }); res.end('greeting: from-url\\n'); return; }
  if (req.url === '/big.yaml') { res.writeHead(200); res.end('x: "' + 'y'.repeat(8192) + '"\\n'); return; }
  if (req.url === '/slow.yaml') return; // never answers
  res.writeHead(404, 'Not Found'); res.end();
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

const tree = new MemoryFileTree(
  {
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'chart/values.yaml': 'greeting: from-chart\n',
    'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
  },
  'a'.repeat(40),
);

const app = (valueFiles: string[]): Application =>
  ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'argocd' },
    spec: { project: 'default', source: { repoURL: 'https://git.example.com/r.git', targetRevision: 'HEAD', path: 'chart', helm: { valueFiles } }, destination: { server: 'https://kubernetes.default.svc', namespace: 'web' } },
  }) as Application;

describe.skipIf(!findHelm())('remote Helm value files', () => {
  const work = tempDir('flotilla-remote-values-');
  const dataDir = path.join(work.dir, 'data');
  let worker: Worker | undefined;
  let base = '';
  const render = (files: string[], tools = createSourceTools({ dataDir, remoteValues: { timeoutMs: 1500, maxBytes: 4096 } })) =>
    renderApplication(app(files), { treeAt: () => tree }, { clusters: [], loadRestrictor: 'rootOnly', tools });
  const messages = (r: ReturnType<typeof render>): string => r.problems.map((p) => p.message).join('\n');

  beforeAll(async () => {
    worker = new Worker(SERVER, { eval: true });
    base = `http://127.0.0.1:${await new Promise<number>((resolve) => worker!.once('message', resolve))}`;
  });
  afterAll(async () => {
    await worker?.terminate();
    work.cleanup();
  });

  it('fetches an http value file and gives it to helm in its place among the value files', () => {
    const r = render([`${base}/values.yaml`]);
    expect(messages(r)).toBe('');
    expect(r.yaml).toContain('greeting: "from-url"');
    // Later value files still win over it, as helm reads them in order.
    expect(render([`${base}/values.yaml`, 'values.yaml']).yaml).toContain('greeting: "from-chart"');
  });

  it('refuses a file past the size cap, an HTTP error, a server that does not answer in time, and other schemes', () => {
    expect(messages(render([`${base}/big.yaml`]))).toContain(`remote value file ${base}/big.yaml: could not be fetched (it is more than the 4096 bytes allowed) and no earlier copy is cached`);
    expect(messages(render([`${base}/missing.yaml`]))).toContain(`remote value file ${base}/missing.yaml: could not be fetched (HTTP 404 Not Found)`);
    const started = Date.now();
    expect(messages(render([`${base}/slow.yaml`]))).toContain('could not be fetched (no answer within 1500 ms)');
    expect(Date.now() - started).toBeLessThan(6000);
    expect(messages(render(['ftp://127.0.0.1/values.yaml']))).toContain("the URL scheme 'ftp' is not allowed");
  });

  it('renders from the last copy on disk when the server is gone; a URL never fetched is a clear Problem', async () => {
    render([`${base}/values.yaml`]);
    await worker!.terminate();
    worker = undefined;
    // A new process's tools: nothing in memory, the disk copy only.
    const offline = render([`${base}/values.yaml`]);
    expect(messages(offline)).toBe('');
    expect(offline.yaml).toContain('greeting: "from-url"');
    const never = render([`${base}/other.yaml`]);
    expect(never.objects).toEqual([]);
    expect(messages(never)).toMatch(new RegExp(`remote value file ${base}/other.yaml: could not be fetched \\(.*\\) and no earlier copy is cached in .*helm/values`));
  });
});
