// Reads what the offline admission check needs from a connected cluster: its ValidatingAdmissionPolicies, their
// bindings, the params they name (objects of each policy's paramKind), its Namespaces (for namespaceSelector and
// `namespaceObject`) and its discovery (plural names and scope of every kind, CRDs included).

import type { Problem } from '../../../shared/problem';
import type { AdmissionChecker, AdmissionClusterState, ServedResource } from '../../../shared/validate/admission';
import { admissionChecker, admissionValidator, clusterRenderedObjects } from '../../../shared/validate/admission';
import type { ValidationInput } from '../../../shared/validate/finding';
import type { Validator } from '../../../shared/validate/types';
import type { KubeObject } from '../../../shared/model/status';
import type { ClusterConnection } from '../cluster/connection';

/** The live half of an AdmissionClusterState: the cluster's policy objects and discovery. */
export type LiveAdmissionState = Required<Pick<AdmissionClusterState, 'liveObjects' | 'discovery'>>;

/** Lists the cluster's admission policies, bindings, their params and Namespaces; a kind the cluster does not serve is skipped. */
export async function readAdmissionState(conn: ClusterConnection): Promise<LiveAdmissionState> {
  const discovery = await conn.discovery();
  const list = async (apiVersion: string, kind: string): Promise<KubeObject[]> => {
    const r = await conn.resourceFor(apiVersion, kind);
    return r ? (await conn.list(r)).items : [];
  };
  const [policies, bindings, namespaces] = await Promise.all([
    list('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy'),
    list('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding'),
    list('v1', 'Namespace'),
  ]);
  const paramKinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const p of policies) {
    const pk = (p['spec'] as { paramKind?: { apiVersion?: unknown; kind?: unknown } } | undefined)?.paramKind;
    if (typeof pk?.apiVersion === 'string' && typeof pk.kind === 'string') paramKinds.set(`${pk.apiVersion}/${pk.kind}`, { apiVersion: pk.apiVersion, kind: pk.kind });
  }
  const params = await Promise.all([...paramKinds.values()].filter((k) => !(k.apiVersion === 'v1' && k.kind === 'Namespace')).map((k) => list(k.apiVersion, k.kind)));
  const served: ServedResource[] = discovery.allVersions().map((r) => ({ group: r.group, version: r.version, kind: r.kind, resource: r.resource, namespaced: r.namespaced }));
  return { liveObjects: [...policies, ...bindings, ...namespaces, ...params.flat()], discovery: served };
}

/**
 * The admission checker of one target cluster: its rendered objects (every app's), plus what is read live when a
 * connection is given. A cluster that cannot be read leaves the repository's policies in force and adds a warning
 * Problem saying the live policies were not read (never a silent pass).
 */
export async function clusterAdmissionChecker(
  cluster: string, renderedObjects: readonly ValidationInput[], conn?: ClusterConnection,
  opts: Pick<AdmissionClusterState, 'liveObject' | 'defaultNamespace' | 'userInfo'> = {},
): Promise<AdmissionChecker> {
  if (!conn) return admissionChecker({ cluster, renderedObjects, ...opts });
  try {
    const live = await readAdmissionState(conn);
    return admissionChecker({ cluster, renderedObjects, ...live, ...opts });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const note: Problem = { severity: 'warning', cluster, message: `admission policies of cluster ${cluster} not read live (${why}); only the repository's policies were checked` };
    return admissionChecker({ cluster, renderedObjects, gatherProblems: [note], ...opts });
  }
}

/**
 * One admission validator per target cluster, each over every app's rendered objects for that cluster (policies,
 * bindings, params and Namespaces may come from any app) and the cluster's live policies when `connect` gives a
 * connection. Keyed by cluster name ('' for objects with no target cluster, which are checked against the policies
 * among them only).
 */
export async function admissionValidators(
  targets: readonly { readonly cluster?: string; readonly inputs: readonly ValidationInput[] }[],
  connect?: (cluster: string) => ClusterConnection | undefined,
): Promise<Map<string, Validator>> {
  const out = new Map<string, Validator>();
  await Promise.all([...new Set(targets.map((t) => t.cluster ?? ''))].map(async (cluster) => {
    const inputs = clusterRenderedObjects(cluster, targets, (t) => t.cluster ?? '', (t) => t.inputs);
    const conn = cluster ? connect?.(cluster) : undefined;
    out.set(cluster, admissionValidator(await clusterAdmissionChecker(cluster, inputs, conn)));
  }));
  return out;
}
