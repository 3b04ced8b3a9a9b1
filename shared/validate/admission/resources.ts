// Which plural resource a kind is served as, and whether it is namespaced: admission rules name resources
// (`deployments`), manifests name kinds (`Deployment`). From the cluster's discovery when connected, else from the
// built-in kinds of Kubernetes 1.32 and the CustomResourceDefinitions among the objects.

import { isRecord } from '../../yaml/documents';
import type { GroupVersionKind, KubeJson } from './types';

/** One served resource: a kind's plural name and scope in one group/version. */
export interface ServedResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

// group, kind, plural, namespaced, served versions (preferred first) of the built-in API of Kubernetes 1.32.
const BUILTIN: readonly (readonly [string, string, string, boolean, string])[] = [
  ['', 'Pod', 'pods', true, 'v1'], ['', 'Service', 'services', true, 'v1'], ['', 'ConfigMap', 'configmaps', true, 'v1'],
  ['', 'Secret', 'secrets', true, 'v1'], ['', 'Namespace', 'namespaces', false, 'v1'], ['', 'ServiceAccount', 'serviceaccounts', true, 'v1'],
  ['', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, 'v1'], ['', 'PersistentVolume', 'persistentvolumes', false, 'v1'],
  ['', 'Endpoints', 'endpoints', true, 'v1'], ['', 'Event', 'events', true, 'v1'], ['', 'LimitRange', 'limitranges', true, 'v1'],
  ['', 'ResourceQuota', 'resourcequotas', true, 'v1'], ['', 'ReplicationController', 'replicationcontrollers', true, 'v1'],
  ['', 'Node', 'nodes', false, 'v1'], ['', 'PodTemplate', 'podtemplates', true, 'v1'],
  ['apps', 'Deployment', 'deployments', true, 'v1'], ['apps', 'StatefulSet', 'statefulsets', true, 'v1'],
  ['apps', 'DaemonSet', 'daemonsets', true, 'v1'], ['apps', 'ReplicaSet', 'replicasets', true, 'v1'],
  ['apps', 'ControllerRevision', 'controllerrevisions', true, 'v1'],
  ['batch', 'Job', 'jobs', true, 'v1'], ['batch', 'CronJob', 'cronjobs', true, 'v1'],
  ['autoscaling', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, 'v2,v1'],
  ['policy', 'PodDisruptionBudget', 'poddisruptionbudgets', true, 'v1'],
  ['networking.k8s.io', 'Ingress', 'ingresses', true, 'v1'], ['networking.k8s.io', 'IngressClass', 'ingressclasses', false, 'v1'],
  ['networking.k8s.io', 'NetworkPolicy', 'networkpolicies', true, 'v1'],
  ['rbac.authorization.k8s.io', 'Role', 'roles', true, 'v1'], ['rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings', true, 'v1'],
  ['rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles', false, 'v1'],
  ['rbac.authorization.k8s.io', 'ClusterRoleBinding', 'clusterrolebindings', false, 'v1'],
  ['storage.k8s.io', 'StorageClass', 'storageclasses', false, 'v1'], ['storage.k8s.io', 'CSIDriver', 'csidrivers', false, 'v1'],
  ['storage.k8s.io', 'VolumeAttachment', 'volumeattachments', false, 'v1'],
  ['scheduling.k8s.io', 'PriorityClass', 'priorityclasses', false, 'v1'],
  ['coordination.k8s.io', 'Lease', 'leases', true, 'v1'], ['discovery.k8s.io', 'EndpointSlice', 'endpointslices', true, 'v1'],
  ['node.k8s.io', 'RuntimeClass', 'runtimeclasses', false, 'v1'],
  ['apiextensions.k8s.io', 'CustomResourceDefinition', 'customresourcedefinitions', false, 'v1'],
  ['apiregistration.k8s.io', 'APIService', 'apiservices', false, 'v1'],
  ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false, 'v1'],
  ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', false, 'v1'],
  ['admissionregistration.k8s.io', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false, 'v1'],
  ['admissionregistration.k8s.io', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false, 'v1'],
  ['certificates.k8s.io', 'CertificateSigningRequest', 'certificatesigningrequests', false, 'v1'],
  ['flowcontrol.apiserver.k8s.io', 'FlowSchema', 'flowschemas', false, 'v1'],
  ['flowcontrol.apiserver.k8s.io', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', false, 'v1'],
];

/** Looks up the resource of a kind and the other versions the same resource is served in. */
export class ResourceMapper {
  private readonly byVersionKind = new Map<string, ServedResource>();
  private readonly versionsOf = new Map<string, string[]>();

  constructor(resources: Iterable<ServedResource>) {
    for (const r of resources) this.add(r);
  }

  private add(r: ServedResource): void {
    this.byVersionKind.set(`${r.group}/${r.version}/${r.kind}`, r);
    const gr = `${r.group}/${r.resource}`;
    const vs = this.versionsOf.get(gr) ?? [];
    if (!vs.includes(r.version)) vs.push(r.version);
    this.versionsOf.set(gr, vs);
  }

  /** The resource an object of this group/version/kind is written to, or undefined when none is known. */
  find(gvk: GroupVersionKind): ServedResource | undefined {
    return this.byVersionKind.get(`${gvk.group}/${gvk.version}/${gvk.kind}`);
  }

  /** Every version the group/resource is served in (for `matchPolicy: Equivalent`). */
  versions(group: string, resource: string): readonly string[] {
    return this.versionsOf.get(`${group}/${resource}`) ?? [];
  }
}

/** The built-in kinds of Kubernetes 1.32. */
export function builtinResources(): ServedResource[] {
  return BUILTIN.flatMap(([group, kind, resource, namespaced, versions]) =>
    versions.split(',').map((version) => ({ group, version, kind, resource, namespaced })));
}

/** The resources a CustomResourceDefinition object serves (nothing when it is not one or is malformed). */
export function crdResources(crd: KubeJson): ServedResource[] {
  if (crd['kind'] !== 'CustomResourceDefinition' || !String(crd['apiVersion'] ?? '').startsWith('apiextensions.k8s.io/')) return [];
  const spec = crd['spec'];
  if (!isRecord(spec) || !isRecord(spec['names']) || typeof spec['group'] !== 'string') return [];
  const { kind, plural } = spec['names'];
  if (typeof kind !== 'string' || typeof plural !== 'string') return [];
  const versions = Array.isArray(spec['versions']) ? spec['versions'] : [];
  return versions
    .filter((v): v is Record<string, unknown> => isRecord(v) && typeof v['name'] === 'string' && v['served'] !== false)
    .map((v) => ({ group: spec['group'] as string, version: v['name'] as string, kind, resource: plural, namespaced: spec['scope'] !== 'Cluster' }));
}

/** A mapper from discovery when given, else from the built-in kinds; the CRDs among `objects` are added either way. */
export function resourceMapper(objects: Iterable<KubeJson>, discovery?: readonly ServedResource[]): ResourceMapper {
  const crds: ServedResource[] = [];
  for (const o of objects) crds.push(...crdResources(o));
  return new ResourceMapper([...(discovery ?? builtinResources()), ...crds]);
}

/** Splits `apps/v1` into group and version (`v1` is the core group). */
export function splitApiVersion(apiVersion: string): { readonly group: string; readonly version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
