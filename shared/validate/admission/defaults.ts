// The defaults the API server fills in before validating admission runs, for the fields policies commonly read:
// a Deployment without `replicas` is checked as `replicas: 1`, a container without `imagePullPolicy` as `Always` or
// `IfNotPresent`, a pod spec without `securityContext` as `{}`. Not the whole defaulting of every kind: what policies
// read most (workload replicas and strategies, pod specs, containers, Services).

import { isRecord } from '../../yaml/documents';
import { toCel } from './cel-values';

type Json = Record<string, unknown>;

const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  Pod: [['spec']],
  Deployment: [['spec', 'template', 'spec']],
  ReplicaSet: [['spec', 'template', 'spec']],
  StatefulSet: [['spec', 'template', 'spec']],
  DaemonSet: [['spec', 'template', 'spec']],
  ReplicationController: [['spec', 'template', 'spec']],
  Job: [['spec', 'template', 'spec']],
  CronJob: [['spec', 'jobTemplate', 'spec', 'template', 'spec']],
};

function at(o: Json, path: readonly string[]): Json | undefined {
  let cur: unknown = o;
  for (const p of path) cur = isRecord(cur) ? cur[p] : undefined;
  return isRecord(cur) ? cur : undefined;
}

function setDefault(o: Json, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

function imagePullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  const noDigest = image.split('@')[0] ?? image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  const tag = colon < 0 ? '' : noDigest.slice(colon + 1);
  return image.includes('@') ? 'IfNotPresent' : tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: unknown): void {
  if (!isRecord(c)) return;
  setDefault(c, 'imagePullPolicy', imagePullPolicy(c['image']));
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'resources', {});
  if (Array.isArray(c['ports'])) for (const p of c['ports']) if (isRecord(p)) setDefault(p, 'protocol', 'TCP');
}

function defaultPodSpec(spec: Json, kind: string): void {
  if (kind !== 'Job' && kind !== 'CronJob') setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30n);
  setDefault(spec, 'securityContext', {});
  for (const key of ['containers', 'initContainers']) if (Array.isArray(spec[key])) for (const c of spec[key]) defaultContainer(c);
}

/**
 * The object as a policy sees it: a CEL copy (whole numbers as BigInt, see toCel) with the server-side defaults
 * policies commonly read filled in. The input is not changed.
 */
export function withServerDefaults(object: Readonly<Record<string, unknown>>, namespace: string): Record<string, unknown> {
  const o = toCel(object) as Json;
  const kind = String(o['kind'] ?? '');
  const apiVersion = String(o['apiVersion'] ?? '');
  if (!isRecord(o['metadata'])) o['metadata'] = {};
  const meta = o['metadata'] as Json;
  if (namespace && kind !== 'Namespace') setDefault(meta, 'namespace', namespace);
  const builtin = apiVersion === 'v1' || /^(apps|batch)\/v1$/.test(apiVersion);
  if (!builtin) return o;
  const spec = at(o, ['spec']);
  if (spec && (kind === 'Deployment' || kind === 'ReplicaSet' || kind === 'StatefulSet' || kind === 'ReplicationController')) setDefault(spec, 'replicas', 1n);
  if (spec && (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet')) setDefault(spec, 'revisionHistoryLimit', 10n);
  if (spec && kind === 'Deployment') {
    setDefault(spec, 'progressDeadlineSeconds', 600n);
    setDefault(spec, 'strategy', { type: 'RollingUpdate' });
    const strategy = spec['strategy'] as Json;
    if (strategy['type'] === 'RollingUpdate') {
      setDefault(strategy, 'rollingUpdate', {});
      setDefault(strategy['rollingUpdate'] as Json, 'maxUnavailable', '25%');
      setDefault(strategy['rollingUpdate'] as Json, 'maxSurge', '25%');
    }
  }
  if (spec && kind === 'StatefulSet') {
    setDefault(spec, 'podManagementPolicy', 'OrderedReady');
    setDefault(spec, 'updateStrategy', { type: 'RollingUpdate' });
    const strategy = spec['updateStrategy'] as Json;
    if (strategy['type'] === 'RollingUpdate') setDefault(strategy, 'rollingUpdate', { partition: 0n });
  }
  if (spec && kind === 'DaemonSet') {
    setDefault(spec, 'updateStrategy', { type: 'RollingUpdate' });
    const strategy = spec['updateStrategy'] as Json;
    if (strategy['type'] === 'RollingUpdate') {
      setDefault(strategy, 'rollingUpdate', {});
      setDefault(strategy['rollingUpdate'] as Json, 'maxUnavailable', 1n);
      setDefault(strategy['rollingUpdate'] as Json, 'maxSurge', 0n);
    }
  }
  for (const path of POD_TEMPLATE_PATHS[kind] ?? []) {
    const podSpec = at(o, path);
    if (podSpec) defaultPodSpec(podSpec, kind);
  }
  if (kind === 'Service' && spec) {
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    if (spec['type'] !== 'ExternalName') setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    if (Array.isArray(spec['ports'])) {
      for (const p of spec['ports']) {
        if (!isRecord(p)) continue;
        setDefault(p, 'protocol', 'TCP');
        if (spec['type'] !== 'ExternalName') setDefault(p, 'targetPort', p['port']);
      }
    }
  }
  return o;
}
