// What a cluster's admission check reads from the repository: every app's rendered objects for that cluster.

import { isRecord } from '../../yaml/documents';
import type { ValidationInput } from '../finding';
import type { KubeJson } from './types';

/**
 * The rendered objects of one target cluster: those of every app deploying there, in app order (a policy, binding,
 * param or Namespace that one app renders applies to all the cluster's apps). `objectsOf` is called only for the
 * cluster's apps, so a caller may render them lazily.
 */
export function clusterRenderedObjects<A>(cluster: string, apps: Iterable<A>, clusterOf: (app: A) => string | undefined, objectsOf: (app: A) => Iterable<ValidationInput>): ValidationInput[] {
  const out: ValidationInput[] = [];
  for (const app of apps) {
    if (clusterOf(app) !== cluster) continue;
    for (const input of objectsOf(app)) out.push(input);
  }
  return out;
}

const ADMISSION = 'admissionregistration.k8s.io/v1';

/** The `apiVersion/kind` of every param kind the ValidatingAdmissionPolicies among `objects` name. */
export function policyParamKinds(objects: Iterable<KubeJson>): Set<string> {
  const kinds = new Set<string>();
  for (const o of objects) {
    if (o['apiVersion'] !== ADMISSION || o['kind'] !== 'ValidatingAdmissionPolicy' || !isRecord(o['spec'])) continue;
    const pk = o['spec']['paramKind'];
    if (isRecord(pk) && typeof pk['apiVersion'] === 'string' && typeof pk['kind'] === 'string') kinds.add(`${pk['apiVersion']}/${pk['kind']}`);
  }
  return kinds;
}

/**
 * Whether the admission check of a cluster reads this object when another app of the cluster renders it: a policy, a
 * binding, a Namespace (namespace selectors, `namespaceObject`), a CRD (the resource of a custom kind) or a param of
 * one of `paramKinds` (see policyParamKinds). The rest of another app's objects is never checked nor read.
 */
export function isAdmissionObject(o: KubeJson, paramKinds: ReadonlySet<string>): boolean {
  const apiVersion = String(o['apiVersion'] ?? '');
  const kind = String(o['kind'] ?? '');
  if (apiVersion === ADMISSION && (kind === 'ValidatingAdmissionPolicy' || kind === 'ValidatingAdmissionPolicyBinding')) return true;
  if (apiVersion === 'v1' && kind === 'Namespace') return true;
  if (kind === 'CustomResourceDefinition' && apiVersion.startsWith('apiextensions.k8s.io/')) return true;
  return paramKinds.has(`${apiVersion}/${kind}`);
}
