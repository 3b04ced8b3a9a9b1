import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';

// The reconciling half of a local fleet cluster: kube-controller-manager and kube-scheduler (from the same
// Kubernetes module as the API server) and KWOK playing the kubelet of a few fake Nodes, with the stages kept in
// `kwok/stages.yaml` beside this file. Together they make Deployments roll out, Pods become Ready, Jobs complete.

/** The kwok version the fleet runs (built by scripts/kube-testbin.sh as `kwok-<version>`). */
export const KWOK_VERSION = process.env.FLOTILLA_KWOK_VERSION ?? 'v0.8.0';

/** The file name of the kwok binary in the testbin folder. */
export const KWOK_BINARY = `kwok-${KWOK_VERSION}`;

/** How many fake Nodes each cluster gets. */
export const FAKE_NODES = 3;

/** The controllers kube-controller-manager runs: workloads, garbage collection, namespaces, service accounts. */
export const CONTROLLERS: readonly string[] = [
  'deployment-controller', 'replicaset-controller', 'statefulset-controller', 'daemonset-controller',
  'job-controller', 'cronjob-controller', 'ttl-after-finished-controller', 'replicationcontroller-controller',
  'garbage-collector-controller', 'namespace-controller', 'pod-garbage-collector-controller',
  'serviceaccount-controller', 'serviceaccount-token-controller',
  'endpoints-controller', 'endpointslice-controller', 'disruption-controller', 'resourcequota-controller',
];

/** What a cluster's controllers need to know about it. */
export interface ControlledCluster {
  readonly name: string;
  readonly server: string;
  readonly dir: string;
}

/** Finds a file of the checkout by walking up from this module's folder (source tree or bundle) and the cwd. */
export function findCheckoutFile(rel: string): string {
  // The CLI bundle is CommonJS (__dirname); tests and benchmarks run as ES modules, from the checkout.
  const starts = [typeof __dirname === 'string' ? __dirname : '', process.cwd()].filter(Boolean);
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 6; i++) {
      const p = path.join(dir, rel);
      if (existsSync(p)) return p;
      dir = path.dirname(dir);
    }
  }
  throw new Error(`${rel} not found (looked above ${starts.join(' and ')}): run from the Flotilla checkout`);
}

/** The KWOK stage configuration kept in the repository. */
export function kwokStagesFile(): string {
  return findCheckoutFile(path.join('electron', 'services', 'cluster', 'kwok', 'stages.yaml'));
}

/** Writes the kubeconfig the cluster's controllers use (admin token, the API server's own certificate). */
export function writeComponentKubeconfig(c: ControlledCluster, token: string): string {
  const file = path.join(c.dir, 'components.kubeconfig');
  const config = {
    apiVersion: 'v1', kind: 'Config', 'current-context': 'local',
    clusters: [{ name: 'local', cluster: { server: c.server, 'certificate-authority': path.join(c.dir, 'pki', 'apiserver.crt') } }],
    users: [{ name: 'admin', user: { token } }],
    contexts: [{ name: 'local', context: { cluster: 'local', user: 'admin' } }],
  };
  writeFileSync(file, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  return file;
}

/** The arguments of one cluster's kube-controller-manager. */
export function controllerManagerArgs(c: ControlledCluster, root: string, kubeconfig: string): string[] {
  return [
    '--kubeconfig', kubeconfig, '--leader-elect=false', '--secure-port', '0',
    '--controllers', CONTROLLERS.join(','),
    '--service-account-private-key-file', path.join(root, 'pki', 'sa.key'),
    '--root-ca-file', path.join(c.dir, 'pki', 'apiserver.crt'),
    '--use-service-account-credentials=false',
    '--kube-api-qps', '200', '--kube-api-burst', '400',
    '--concurrent-deployment-syncs', '10', '--concurrent-replicaset-syncs', '10',
    '--v', '0',
  ];
}

/** The arguments of one cluster's kube-scheduler. */
export function schedulerArgs(kubeconfig: string): string[] {
  return ['--kubeconfig', kubeconfig, '--leader-elect=false', '--secure-port', '0', '--v', '0'];
}

/**
 * The arguments of one cluster's kwok (every Node of the cluster is fake, so it manages all of them). With a kubelet
 * port, kwok also serves the kubelet API there (self-signed TLS, which the API server does not verify) and the Nodes
 * advertise 127.0.0.1:port, so `GET pods/log` reaches it and answers with the simulated logs.
 */
export function kwokArgs(kubeconfig: string, stagesFile: string, kubelet?: { readonly port: number; readonly logsConfig: string }): string[] {
  const base = ['--kubeconfig', kubeconfig, '--manage-all-nodes=true', '--config', stagesFile, '--node-lease-duration-seconds', '0'];
  if (!kubelet) return base;
  return [...base, '--config', kubelet.logsConfig, '--node-ip', '127.0.0.1', '--node-port', String(kubelet.port), '--server-address', `127.0.0.1:${kubelet.port}`];
}

/**
 * Writes kwok's simulated Pod logs for a cluster: a ClusterLogs for every Pod, whose containers all print the lines
 * of `<cluster dir>/pod.log` (CRI log format, as a kubelet stores them).
 */
export function writeKwokLogs(c: ControlledCluster): string {
  const logFile = path.join(c.dir, 'pod.log');
  const at = new Date().toISOString();
  const lines = ['simulated by kwok: container started', `simulated by kwok: serving on cluster ${c.name}`];
  writeFileSync(logFile, lines.map((l) => `${at} stdout F ${l}\n`).join(''));
  const config = path.join(c.dir, 'kwok-logs.yaml');
  writeFileSync(config, [
    'apiVersion: kwok.x-k8s.io/v1alpha1', 'kind: ClusterLogs', 'metadata:', '  name: simulated-logs', 'spec:', '  selector: {}', '  logs:',
    `  - logsFile: ${JSON.stringify(logFile)}`, '    follow: false', '',
  ].join('\n'));
  return config;
}

/** One API call with the admin token; resolves status and parsed body. */
export function adminRequest(server: string, token: string, method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(`${server}${apiPath}`, {
      method, rejectUnauthorized: false, timeout: 10_000,
      headers: {
        Authorization: `Bearer ${token}`, Accept: 'application/json',
        ...(data !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}),
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let parsed: Record<string, unknown>;
        try {
          parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          parsed = { text };
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${server}${apiPath} timed out`)));
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

/** Creates the cluster's fake Nodes (`kwok-node-0`…) unless they exist. */
export async function ensureFakeNodes(c: ControlledCluster, token: string, count = FAKE_NODES): Promise<void> {
  for (let i = 0; i < count; i++) {
    const name = `kwok-node-${i}`;
    const res = await adminRequest(c.server, token, 'POST', '/api/v1/nodes', {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { type: 'kwok', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
      spec: {},
    });
    if (res.status !== 201 && res.status !== 409) throw new Error(`cluster ${c.name}: creating Node ${name}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
}

/**
 * Waits until the controllers work: every fake Node is Ready (kwok runs) and the `default` ServiceAccount of the
 * `default` namespace exists (the controller manager runs).
 */
export async function waitControllersReady(c: ControlledCluster, token: string, timeoutMs: number, count = FAKE_NODES): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const nodes = await adminRequest(c.server, token, 'GET', '/api/v1/nodes?labelSelector=type%3Dkwok');
      const items = (nodes.body.items ?? []) as { status?: { conditions?: { type: string; status: string }[] } }[];
      const ready = items.filter((n) => n.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')).length;
      const sa = await adminRequest(c.server, token, 'GET', '/api/v1/namespaces/default/serviceaccounts/default');
      if (ready >= count && sa.status === 200) return;
      last = `${ready}/${count} Nodes Ready (kwok), default ServiceAccount ${sa.status === 200 ? 'present' : 'missing'} (kube-controller-manager)`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = (name: string): string => {
    const file = path.join(c.dir, `${name}.log`);
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-5).join('\n') : '';
  };
  throw new Error(`cluster ${c.name}: controllers not ready within ${timeoutMs} ms: ${last} (logs in ${c.dir})\nkwok.log:\n${tail('kwok')}\ncontroller-manager.log:\n${tail('controller-manager')}`);
}
