import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { LuaHealthRunner } from '../electron/services/lua-health';
import { assessHealth, worstHealth } from '../shared/health';
import type { HealthResult, KubeObject } from '../shared/model/status';
import type { BenchResult, Samples } from './types';
import { median, sample, stats } from './types';

const COUNT = 20_000;
const RUNS = 7;

/** A live object of a typical app on a cluster, varied by `i` so every rule's branches are taken. */
function synthesize(i: number): KubeObject {
  const ns = `team-${i % 40}`;
  const name = `app-${i}`;
  const meta = { name, namespace: ns, generation: 3, labels: { 'app.kubernetes.io/instance': name } };
  const ready = i % 7 !== 0;
  switch (i % 12) {
    case 0: return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { replicas: 3 }, status: { observedGeneration: 3, replicas: 3, updatedReplicas: ready ? 3 : 1, availableReplicas: ready ? 3 : 1, conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] } };
    case 1: return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta, spec: { replicas: 3 }, status: { observedGeneration: 3, replicas: 3, availableReplicas: 3 } };
    case 2: return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: { restartPolicy: 'Always' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], containerStatuses: [{ name: 'main', ready, state: ready ? { running: {} } : { waiting: { reason: 'CrashLoopBackOff', message: 'back-off restarting' } } }] } };
    case 3: return { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { type: i % 5 ? 'ClusterIP' : 'LoadBalancer' }, status: { loadBalancer: {} } };
    case 4: return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { key: 'value' } };
    case 5: return { apiVersion: 'v1', kind: 'Secret', metadata: meta, type: 'Opaque', data: { password: 'c2VjcmV0' } };
    case 6: return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta, status: { loadBalancer: { ingress: ready ? [{ ip: '10.0.0.1' }] : [] } } };
    case 7: return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta, status: { conditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: 'ok' }, { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' }] } };
    case 8: return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta, spec: { replicas: 2, updateStrategy: { type: 'RollingUpdate' } }, status: { observedGeneration: 3, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, currentRevision: 'r1', updateRevision: 'r1' } };
    case 9: return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta, spec: { replicas: 3, strategy: { canary: {} } }, status: { observedGeneration: '3', phase: ready ? 'Healthy' : 'Progressing', message: '' } };
    case 10: return { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', message: 'Certificate is up to date and has not expired' }] } };
    default: return { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: meta, spec: { suspend: false }, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' }] } };
  }
}

/** The conformance fixtures (every kind Argo CD has tests for), when the peer suite sits beside the checkout. */
function fixtures(): KubeObject[] {
  const dir = path.resolve(process.cwd(), '..', 'shared', 'conformance', 'health');
  if (!existsSync(path.join(dir, 'cases.json'))) return [];
  const cases = JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8')) as { file: string }[];
  const out: KubeObject[] = [];
  for (const c of cases) {
    try {
      out.push(parse(readFileSync(path.join(dir, c.file), 'utf8'), { version: '1.1', uniqueKeys: false, merge: true }) as KubeObject);
    } catch {
      // a fixture the yaml package cannot read (one upstream file) is left out
    }
  }
  return out;
}

function assessAll(objects: readonly KubeObject[], runner?: LuaHealthRunner): HealthResult {
  const results: HealthResult[] = new Array<HealthResult>(objects.length);
  for (let i = 0; i < objects.length; i++) results[i] = assessHealth(objects[i]!, runner ? { custom: runner } : undefined);
  return worstHealth(results);
}

function result(name: string, samples: Samples, count: number): BenchResult {
  const ms = median(samples);
  return { name, ...stats(samples), extra: { objects: count, objects_per_s: Math.round(count / (ms / 1000)) } };
}

/** Health assessment throughput: 20,000 live objects of mixed kinds, with and without a Lua customization. */
export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const mixed = Array.from({ length: COUNT }, (_, i) => synthesize(i));
  out.push(result('assessHealth 20k synthesized objects (12 kinds)', await sample(RUNS, () => assessAll(mixed)), COUNT));

  const fx = fixtures();
  if (fx.length > 0) {
    const cycled = Array.from({ length: COUNT }, (_, i) => fx[i % fx.length]!);
    out.push(result(`assessHealth 20k conformance fixtures (${fx.length} distinct)`, await sample(RUNS, () => assessAll(cycled)), COUNT));
  }

  // Every 10th object an Argo CD Application judged by the documented Lua override: the custom-check path.
  const runner = new LuaHealthRunner({
    'argoproj.io_Application': 'hs = {}\nhs.status = "Progressing"\nhs.message = ""\nif obj.status ~= nil and obj.status.health ~= nil then\n  hs.status = obj.status.health.status\n  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end\nend\nreturn hs',
  });
  const withApps = mixed.map((o, i) => (i % 10 === 0 ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: `child-${i}`, namespace: 'argocd' }, spec: { project: 'default' }, status: { health: { status: i % 20 ? 'Healthy' : 'Degraded', message: '' }, sync: { status: 'Synced' } } } : o));
  out.push(result('assessHealth 20k objects, 10% through a Lua check', await sample(RUNS, () => assessAll(withApps, runner)), COUNT));
  return out;
}
