// Normalisation, diff and health at fleet scale: 20,000 desired/live pairs (Deployments, Services, ConfigMaps and
// Secrets, as an API server returns them after a server-side apply), 10% of them drifted, compared as 1,000 apps of
// 20 resources with shared/diff's compareApp and shared/health's assessHealth.
import { compareApp } from '../shared/diff/compare-app';
import { compileIgnoreDifferences } from '../shared/diff/ignore-differences';
import { assessHealth } from '../shared/health';
import type { KubeObject } from '../shared/model/status';
import type { BenchResult } from './types';
import { median, sample, stats } from './types';

const PAIRS = 20_000;
const PER_APP = 20;

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function server(o: KubeObject, i: number, flotillaFields: Record<string, unknown>): Record<string, unknown> {
  return {
    ...(o.metadata as Record<string, unknown>),
    uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    resourceVersion: String(100000 + i),
    generation: 2,
    creationTimestamp: '2026-11-20T09:12:44Z',
    managedFields: [
      { manager: 'flotilla', operation: 'Apply', apiVersion: o.apiVersion, time: '2026-11-20T09:12:44Z', fieldsType: 'FieldsV1', fieldsV1: flotillaFields },
      { manager: 'kube-controller-manager', operation: 'Update', apiVersion: o.apiVersion, time: '2026-11-20T09:13:02Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { '.': {} } }, subresource: 'status' },
    ],
  };
}

function pair(i: number, driftEvery: number): { desired: KubeObject; live: KubeObject } {
  const ns = `team-${i % 50}`;
  const name = `svc-${i}`;
  const drift = i % driftEvery === 0;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'shop', env: 'prod' };
  switch (i % 4) {
    case 0: {
      const container = { name: 'app', image: `registry.example.com/shop/${name}:1.${i % 7}.0`, ports: [{ containerPort: 8080, name: 'http' }], env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'REGION', value: 'eu-west-1' }], resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 1, memory: '512Mi' } }, readinessProbe: { httpGet: { path: '/healthz', port: 'http' } } };
      const desired: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, labels }, spec: { replicas: 3, selector: { matchLabels: { 'app.kubernetes.io/name': name } }, template: { metadata: { labels }, spec: { containers: [container] } } } };
      const liveContainer = { ...container, image: drift ? `registry.example.com/shop/${name}:0.9.0` : container.image, ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }], resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } }, readinessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 }, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' };
      const live: KubeObject = {
        apiVersion: 'apps/v1', kind: 'Deployment',
        metadata: { ...server(desired, i, { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:replicas': {}, 'f:selector': {}, 'f:template': { 'f:metadata': { 'f:labels': {} }, 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } }), annotations: { 'deployment.kubernetes.io/revision': '3' } },
        spec: { replicas: 3, progressDeadlineSeconds: 600, revisionHistoryLimit: 10, selector: { matchLabels: { 'app.kubernetes.io/name': name } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, template: { metadata: { creationTimestamp: null, labels }, spec: { containers: [liveContainer], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30 } } },
        status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] },
      };
      return { desired, live };
    }
    case 1: {
      const desired: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec: { selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
      const live: KubeObject = {
        apiVersion: 'v1', kind: 'Service', metadata: server(desired, i, { 'f:spec': { 'f:ports': {}, 'f:selector': {} } }),
        spec: { clusterIP: `10.96.${i % 250}.${i % 200}`, clusterIPs: [`10.96.${i % 250}.${i % 200}`], internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ name: 'http', port: drift ? 8080 : 80, protocol: 'TCP', targetPort: 'http' }], selector: { 'app.kubernetes.io/name': name }, sessionAffinity: 'None', type: 'ClusterIP' },
        status: { loadBalancer: {} },
      };
      return { desired, live };
    }
    case 2: {
      const data = { 'application.yaml': `server:\n  port: 8080\nfeature:\n  flag-${i}: true\n`, LOG_FORMAT: 'json' };
      const desired: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-config`, namespace: ns, labels }, data };
      const live: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: server(desired, i, { 'f:data': {} }), data: drift ? { ...data, LOG_FORMAT: 'text' } : data };
      return { desired, live };
    }
    default: {
      const desired: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${name}-db`, namespace: ns, labels }, type: 'Opaque', stringData: { username: name, password: `pw-${i}-a8f3` } };
      const live: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: server(desired, i, { 'f:stringData': {} }), type: 'Opaque', data: { username: b64(name), password: b64(drift ? 'rotated' : `pw-${i}-a8f3`) } };
      return { desired, live };
    }
  }
}

/** Compares 20,000 pairs as 1,000 apps; reports the median time and objects per second (with and without health, 10% and 100% drifted). */
export async function run(): Promise<BenchResult[]> {
  const ignore = compileIgnoreDifferences([{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "istio-proxy")'] }]);
  const out: BenchResult[] = [];
  for (const [driftEvery, withHealth] of [[10, true], [10, false], [1, true]] as const) {
    const pairs = Array.from({ length: PAIRS }, (_, i) => pair(i, driftEvery));
    const apps = Array.from({ length: PAIRS / PER_APP }, (_, a) => pairs.slice(a * PER_APP, (a + 1) * PER_APP));
    let outOfSync = 0;
    // CPU time beside wall time: on a shared, loaded machine the wall clock also counts waiting for a core.
    const cpuSamples: number[] = [];
    const samples = await sample(5, () => {
      const cpu0 = process.cpuUsage();
      outOfSync = 0;
      for (let a = 0; a < apps.length; a++) {
        const group = apps[a]!;
        const s = compareApp({
          app: `app-${a}`,
          cluster: 'prod-eu',
          revision: '4f2a9c1',
          desired: group.map((p) => p.desired),
          live: group.map((p) => p.live),
          extra: [],
          ignoreDifferences: ignore,
          ...(withHealth ? { assessHealth: (o: KubeObject) => assessHealth(o) } : {}),
          observedAt: '2026-11-23T14:00:00Z',
        });
        outOfSync += s.resources.filter((r) => r.sync === 'OutOfSync').length;
      }
      const cpu = process.cpuUsage(cpu0);
      cpuSamples.push((cpu.user + cpu.system) / 1000);
    });
    const ms = median(samples);
    out.push({
      name: `compare 20,000 pairs, ${driftEvery === 1 ? 'all' : '10%'} drifted${withHealth ? ' + health' : ''}`,
      ...stats(samples, cpuSamples),
      extra: { objects_per_s: Math.round((PAIRS / ms) * 1000), out_of_sync: outOfSync, under_2s: ms < 2000 ? 'yes' : 'no' },
    });
  }
  return out;
}
