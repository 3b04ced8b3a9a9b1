/** kustomize's legacy output order: by kind priority, then group/version/kind, then namespace and name. */
import type { Gvk } from './resource';
import type { Resource } from './resource';

/** Kinds printed first, in this order (kustomize's orderFirst). */
export const ORDER_FIRST: readonly string[] = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role',
  'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange',
  'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
/** Kinds printed last (kustomize's orderLast). */
export const ORDER_LAST: readonly string[] = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function gvkString(g: Gvk): string {
  return [g.group || '~G', g.version || '~V', g.kind || '~K'].join('_');
}

/** Sorts resources in kustomize's legacy order (custom orderFirst/orderLast when given). */
export function legacySort(res: readonly Resource[], first: readonly string[] = ORDER_FIRST, last: readonly string[] = ORDER_LAST): Resource[] {
  const rank = new Map<string, number>();
  first.forEach((k, i) => rank.set(k, i - first.length));
  last.forEach((k, i) => rank.set(k, i + 1));
  const keyed = res.map((r) => {
    const id = r.curId();
    return { r, rank: rank.get(id.kind) ?? 0, gvk: gvkString(id), rest: `${id.namespace}|${id.name}` };
  });
  keyed.sort((a, b) => {
    if (a.gvk !== b.gvk) {
      if (a.rank !== b.rank) return a.rank - b.rank;
      return a.gvk < b.gvk ? -1 : 1;
    }
    return a.rest < b.rest ? -1 : a.rest > b.rest ? 1 : 0;
  });
  return keyed.map((k) => k.r);
}
