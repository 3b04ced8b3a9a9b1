/**
 * Field specs: where a transformer looks in a resource (`spec/template/metadata/labels` of a Deployment, ...),
 * and kustomize's built-in set of them (the defaults `kustomize build` uses for namePrefix, commonLabels,
 * namespace, name references, vars, images and replicas).
 */
import type { Json, JsonMap } from './yaml';
import { isMapValue } from './yaml';
import type { MutablePartial } from '../mutable';

/** Where a transformer acts: a slash-separated path in resources of a group/version/kind (empty = any). */
export interface FieldSpec {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly path: string;
  readonly create?: boolean;
}

/** A referral kind and the fields of other resources that refer to it by name. */
export interface NameBackRef {
  readonly group?: string;
  readonly version?: string;
  readonly kind: string;
  readonly fieldSpecs: readonly FieldSpec[];
}

/** The transformer configuration (`configurations:` files merge into it). */
export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  nameSpace: FieldSpec[];
  commonLabels: FieldSpec[];
  templateLabels: FieldSpec[];
  /** Extra field specs for the `labels:` transformer (configurations' `labels:`). */
  labels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  nameReference: NameBackRef[];
  varReference: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
}

const TEMPLATE_KINDS: readonly (readonly [string, string, string?])[] = [
  // kind, path to the pod spec's parent (template), group
  ['Deployment', 'spec/template'],
  ['ReplicaSet', 'spec/template'],
  ['DaemonSet', 'spec/template'],
  ['StatefulSet', 'spec/template'],
  ['Job', 'spec/template'],
  ['CronJob', 'spec/jobTemplate/spec/template'],
];

function fs(path: string, kind?: string, extra: Partial<FieldSpec> = {}): FieldSpec {
  return { path, ...(kind ? { kind } : {}), ...extra };
}

function labelSpecs(): { common: FieldSpec[]; template: FieldSpec[] } {
  const affinity = (kind: string): FieldSpec[] =>
    [
      'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
      'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
      'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
      'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
      'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
    ].map((p) => fs(p, kind, { group: 'apps', create: false }));
  const template: FieldSpec[] = [
    fs('metadata/labels', undefined, { create: true }),
    fs('spec/template/metadata/labels', 'ReplicationController', { version: 'v1', create: true }),
    fs('spec/template/metadata/labels', 'Deployment', { create: true }),
    fs('spec/template/metadata/labels', 'ReplicaSet', { create: true }),
    fs('spec/template/metadata/labels', 'DaemonSet', { create: true }),
    fs('spec/template/metadata/labels', 'StatefulSet', { group: 'apps', create: true }),
    fs('spec/volumeClaimTemplates[]/metadata/labels', 'StatefulSet', { group: 'apps', create: true }),
    fs('spec/template/metadata/labels', 'Job', { group: 'batch', create: true }),
    fs('spec/jobTemplate/metadata/labels', 'CronJob', { group: 'batch', create: true }),
    fs('spec/jobTemplate/spec/template/metadata/labels', 'CronJob', { group: 'batch', create: true }),
  ];
  const common: FieldSpec[] = [
    fs('spec/selector', 'Service', { version: 'v1', create: true }),
    fs('spec/selector', 'ReplicationController', { version: 'v1', create: true }),
    fs('spec/selector/matchLabels', 'Deployment', { create: true }),
    ...affinity('Deployment'),
    fs('spec/selector/matchLabels', 'ReplicaSet', { create: true }),
    fs('spec/selector/matchLabels', 'DaemonSet', { create: true }),
    fs('spec/selector/matchLabels', 'StatefulSet', { group: 'apps', create: true }),
    ...affinity('StatefulSet'),
    fs('spec/selector/matchLabels', 'Job', { group: 'batch', create: false }),
    fs('spec/jobTemplate/spec/selector/matchLabels', 'CronJob', { group: 'batch', create: false }),
    fs('spec/selector/matchLabels', 'PodDisruptionBudget', { group: 'policy', create: false }),
    fs('spec/podSelector/matchLabels', 'NetworkPolicy', { group: 'networking.k8s.io', create: false }),
    fs('spec/ingress/from/podSelector/matchLabels', 'NetworkPolicy', { group: 'networking.k8s.io', create: false }),
    fs('spec/egress/to/podSelector/matchLabels', 'NetworkPolicy', { group: 'networking.k8s.io', create: false }),
    ...template,
  ];
  return { common, template };
}

function annotationSpecs(): FieldSpec[] {
  return [
    fs('metadata/annotations', undefined, { create: true }),
    fs('spec/template/metadata/annotations', 'ReplicationController', { version: 'v1', create: true }),
    fs('spec/template/metadata/annotations', 'Deployment', { create: true }),
    fs('spec/template/metadata/annotations', 'ReplicaSet', { create: true }),
    fs('spec/template/metadata/annotations', 'DaemonSet', { create: true }),
    fs('spec/template/metadata/annotations', 'StatefulSet', { create: true }),
    fs('spec/template/metadata/annotations', 'Job', { group: 'batch', create: true }),
    fs('spec/jobTemplate/metadata/annotations', 'CronJob', { group: 'batch', create: true }),
    fs('spec/jobTemplate/spec/template/metadata/annotations', 'CronJob', { group: 'batch', create: true }),
  ];
}

function varReferenceSpecs(): FieldSpec[] {
  const out: FieldSpec[] = [];
  const podFields = (base: string, kind: string): void => {
    for (const c of ['containers', 'initContainers']) {
      for (const f of ['args', 'command', 'env/value', 'volumeMounts/mountPath']) out.push(fs(`${base}/${c}/${f}`, kind));
    }
  };
  podFields('spec/jobTemplate/spec/template/spec', 'CronJob');
  out.push(fs('spec/jobTemplate/spec/template/volumes/nfs/server', 'CronJob'));
  for (const k of ['DaemonSet', 'Deployment']) {
    podFields('spec/template/spec', k);
    out.push(fs('spec/template/spec/volumes/nfs/server', k));
  }
  out.push(fs('spec/template/metadata/annotations', 'Deployment'));
  out.push(fs('spec/rules/host', 'Ingress'), fs('spec/tls/hosts', 'Ingress'), fs('spec/tls/secretName', 'Ingress'));
  podFields('spec/template/spec', 'Job');
  out.push(fs('spec/template/spec/volumes/nfs/server', 'Job'));
  podFields('spec', 'Pod');
  out.push(fs('spec/volumes/nfs/server', 'Pod'));
  podFields('spec/template/spec', 'ReplicaSet');
  out.push(fs('spec/template/spec/volumes/nfs/server', 'ReplicaSet'));
  out.push(fs('spec/ports/port', 'Service'), fs('spec/ports/targetPort', 'Service'));
  podFields('spec/template/spec', 'StatefulSet');
  out.push(fs('spec/volumeClaimTemplates/spec/nfs/server', 'StatefulSet'));
  out.push(fs('spec/nfs/server', 'PersistentVolume'));
  out.push(fs('metadata/labels'), fs('metadata/annotations'));
  return out;
}

function podRefs(suffixes: readonly string[], withPod: boolean, withPodTemplate: boolean): FieldSpec[] {
  const out: FieldSpec[] = [];
  if (withPod) for (const s of suffixes) out.push(fs(`spec/${s}`, 'Pod', { version: 'v1' }));
  if (withPodTemplate) for (const s of suffixes) out.push(fs(`template/spec/${s}`, 'PodTemplate'));
  for (const [kind, base] of TEMPLATE_KINDS) for (const s of suffixes) out.push(fs(`${base}/spec/${s}`, kind));
  return out;
}

function nameReferenceSpecs(): NameBackRef[] {
  const cmSuffixes = [
    'volumes/configMap/name',
    'containers/env/valueFrom/configMapKeyRef/name',
    'initContainers/env/valueFrom/configMapKeyRef/name',
    'containers/envFrom/configMapRef/name',
    'initContainers/envFrom/configMapRef/name',
    'volumes/projected/sources/configMap/name',
  ];
  const secretSuffixes = [
    'volumes/secret/secretName',
    'containers/env/valueFrom/secretKeyRef/name',
    'initContainers/env/valueFrom/secretKeyRef/name',
    'containers/envFrom/secretRef/name',
    'initContainers/envFrom/secretRef/name',
    'imagePullSecrets/name',
    'volumes/projected/sources/secret/name',
  ];
  const podSpecField = (field: string, extraKinds: string[] = ['ReplicationController']): FieldSpec[] => [
    fs(`spec/${field}`, 'Pod'),
    fs(`spec/template/spec/${field}`, 'StatefulSet'),
    fs(`spec/template/spec/${field}`, 'Deployment'),
    ...extraKinds.map((k) => fs(`spec/template/spec/${field}`, k)),
    fs(`spec/jobTemplate/spec/template/spec/${field}`, 'CronJob'),
    fs(`spec/template/spec/${field}`, 'Job'),
    fs(`spec/template/spec/${field}`, 'DaemonSet'),
  ];
  const hpa = (kind: string): NameBackRef => ({ kind, fieldSpecs: [fs('spec/scaleTargetRef/name', 'HorizontalPodAutoscaler')] });
  return [
    hpa('Deployment'),
    hpa('ReplicationController'),
    hpa('ReplicaSet'),
    hpa('StatefulSet'),
    {
      kind: 'ConfigMap',
      version: 'v1',
      fieldSpecs: [
        ...podRefs(cmSuffixes, true, true),
        fs('spec/configSource/configMap', 'Node'),
        fs('rules/resourceNames', 'Role'),
        fs('rules/resourceNames', 'ClusterRole'),
        fs('metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap', 'Ingress'),
      ],
    },
    {
      kind: 'Secret',
      version: 'v1',
      fieldSpecs: [
        ...podRefs(secretSuffixes, true, true),
        fs('spec/tls/secretName', 'Ingress'),
        fs('metadata/annotations/ingress.kubernetes.io\\/auth-secret', 'Ingress'),
        fs('metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret', 'Ingress'),
        fs('metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret', 'Ingress'),
        fs('imagePullSecrets/name', 'ServiceAccount'),
        fs('parameters/secretName', 'StorageClass'),
        fs('parameters/adminSecretName', 'StorageClass'),
        fs('parameters/userSecretName', 'StorageClass'),
        fs('parameters/secretRef', 'StorageClass'),
        fs('rules/resourceNames', 'Role'),
        fs('rules/resourceNames', 'ClusterRole'),
        fs('spec/template/spec/containers/env/valueFrom/secretKeyRef/name', 'Service', { group: 'serving.knative.dev', version: 'v1' }),
        fs('spec/azureFile/secretName', 'PersistentVolume'),
      ],
    },
    {
      kind: 'Service',
      version: 'v1',
      fieldSpecs: [
        fs('spec/serviceName', 'StatefulSet', { group: 'apps' }),
        fs('spec/rules/http/paths/backend/serviceName', 'Ingress'),
        fs('spec/backend/serviceName', 'Ingress'),
        fs('spec/rules/http/paths/backend/service/name', 'Ingress'),
        fs('spec/defaultBackend/service/name', 'Ingress'),
        fs('spec/service/name', 'APIService', { group: 'apiregistration.k8s.io' }),
        fs('webhooks/clientConfig/service', 'ValidatingWebhookConfiguration', { group: 'admissionregistration.k8s.io' }),
        fs('webhooks/clientConfig/service', 'MutatingWebhookConfiguration', { group: 'admissionregistration.k8s.io' }),
      ],
    },
    { kind: 'Role', group: 'rbac.authorization.k8s.io', fieldSpecs: [fs('roleRef/name', 'RoleBinding', { group: 'rbac.authorization.k8s.io' })] },
    {
      kind: 'ClusterRole',
      group: 'rbac.authorization.k8s.io',
      fieldSpecs: [
        fs('roleRef/name', 'RoleBinding', { group: 'rbac.authorization.k8s.io' }),
        fs('roleRef/name', 'ClusterRoleBinding', { group: 'rbac.authorization.k8s.io' }),
      ],
    },
    {
      kind: 'ServiceAccount',
      version: 'v1',
      fieldSpecs: [
        fs('subjects', 'RoleBinding', { group: 'rbac.authorization.k8s.io' }),
        fs('subjects', 'ClusterRoleBinding', { group: 'rbac.authorization.k8s.io' }),
        ...podSpecField('serviceAccountName'),
      ],
    },
    { kind: 'PersistentVolumeClaim', version: 'v1', fieldSpecs: podSpecField('volumes/persistentVolumeClaim/claimName') },
    {
      kind: 'PersistentVolume',
      version: 'v1',
      fieldSpecs: [fs('spec/volumeName', 'PersistentVolumeClaim'), fs('rules/resourceNames', 'ClusterRole')],
    },
    {
      kind: 'StorageClass',
      version: 'v1',
      group: 'storage.k8s.io',
      fieldSpecs: [
        fs('spec/storageClassName', 'PersistentVolume'),
        fs('spec/storageClassName', 'PersistentVolumeClaim'),
        fs('spec/volumeClaimTemplates/spec/storageClassName', 'StatefulSet'),
      ],
    },
    { kind: 'PriorityClass', version: 'v1', group: 'scheduling.k8s.io', fieldSpecs: podSpecField('priorityClassName') },
    { kind: 'IngressClass', version: 'v1', group: 'networking.k8s.io/v1', fieldSpecs: [fs('spec/ingressClassName', 'Ingress')] },
    {
      kind: 'ValidatingAdmissionPolicy',
      group: 'admissionregistration.k8s.io',
      fieldSpecs: [fs('spec/policyName', 'ValidatingAdmissionPolicyBinding', { group: 'admissionregistration.k8s.io' })],
    },
  ];
}

/** kustomize's built-in transformer configuration (a fresh copy each call). */
export function defaultTransformerConfig(): TransformerConfig {
  const labels = labelSpecs();
  return {
    namePrefix: [fs('metadata/name')],
    nameSuffix: [fs('metadata/name')],
    nameSpace: [
      fs('metadata/name', 'Namespace', { create: true }),
      fs('spec/service/namespace', 'APIService', { group: 'apiregistration.k8s.io', create: true }),
      fs('spec/conversion/webhook/clientConfig/service/namespace', 'CustomResourceDefinition', { group: 'apiextensions.k8s.io' }),
    ],
    commonLabels: labels.common,
    templateLabels: labels.template,
    labels: [],
    commonAnnotations: annotationSpecs(),
    nameReference: nameReferenceSpecs(),
    varReference: varReferenceSpecs(),
    images: [
      fs('spec/containers[]/image', undefined, { create: true }),
      fs('spec/initContainers[]/image', undefined, { create: true }),
      fs('spec/template/spec/containers[]/image', undefined, { create: true }),
      fs('spec/template/spec/initContainers[]/image', undefined, { create: true }),
    ],
    replicas: [
      fs('spec/replicas', 'Deployment', { create: true }),
      fs('spec/replicas', 'ReplicationController', { create: true }),
      fs('spec/replicas', 'ReplicaSet', { create: true }),
      fs('spec/replicas', 'StatefulSet', { create: true }),
    ],
  };
}

/**
 * Adds field specs as kustomize's FsSlice.MergeAll does: a spec is skipped when one already there has the same
 * path and a gvk that the new spec's gvk selects (so `metadata/name` for any kind is dropped after
 * `metadata/name` for kind Foo, but not the other way round).
 */
export function mergeSpecs(into: FieldSpec[], add: readonly FieldSpec[]): void {
  if (add.length === 0) return;
  const byPath = new Map<string, FieldSpec[]>();
  for (const s of into) {
    const l = byPath.get(s.path);
    if (l) l.push(s);
    else byPath.set(s.path, [s]);
  }
  for (const x of add) {
    const same = byPath.get(x.path);
    const selected = (s: FieldSpec): boolean =>
      (!x.group || x.group === (s.group ?? '')) && (!x.version || x.version === (s.version ?? '')) && (!x.kind || x.kind === (s.kind ?? ''));
    if (same?.some(selected)) continue;
    into.push(x);
    if (same) same.push(x);
    else byPath.set(x.path, [x]);
  }
}

/** Merges a configuration (from `configurations:` or CRDs) into another. */
export function mergeConfig(into: TransformerConfig, add: Partial<TransformerConfig>): void {
  for (const key of ['namePrefix', 'nameSuffix', 'nameSpace', 'commonLabels', 'templateLabels', 'labels', 'commonAnnotations', 'varReference', 'images', 'replicas'] as const) {
    const extra = add[key];
    if (extra) mergeSpecs(into[key], extra);
  }
  for (const br of add.nameReference ?? []) {
    const existing = into.nameReference.find((x) => x.kind === br.kind && (x.group ?? '') === (br.group ?? '') && (x.version ?? '') === (br.version ?? ''));
    if (existing) mergeSpecs(existing.fieldSpecs as FieldSpec[], br.fieldSpecs);
    else into.nameReference.push({ ...br, fieldSpecs: [...br.fieldSpecs] });
  }
}

/** Copies a configuration so a kustomization can extend it without touching its parent's. */
export function cloneConfig(c: TransformerConfig): TransformerConfig {
  return {
    namePrefix: [...c.namePrefix],
    nameSuffix: [...c.nameSuffix],
    nameSpace: [...c.nameSpace],
    commonLabels: [...c.commonLabels],
    templateLabels: [...c.templateLabels],
    labels: [...c.labels],
    commonAnnotations: [...c.commonAnnotations],
    nameReference: c.nameReference.map((b) => ({ ...b, fieldSpecs: [...b.fieldSpecs] })),
    varReference: [...c.varReference],
    images: [...c.images],
    replicas: [...c.replicas],
  };
}

function readSpec(v: Json): FieldSpec | undefined {
  if (!isMapValue(v) || typeof v.path !== 'string') return undefined;
  const out: MutablePartial<FieldSpec> = { path: v.path };
  if (typeof v.group === 'string' && v.group) out.group = v.group;
  if (typeof v.version === 'string' && v.version) out.version = v.version;
  if (typeof v.kind === 'string' && v.kind) out.kind = v.kind;
  if (v.create === true) out.create = true;
  return out as FieldSpec;
}

/** Reads field specs from a `configurations:` document (keys as kustomize spells them). */
export function readConfig(doc: JsonMap): Partial<TransformerConfig> {
  const list = (k: string): FieldSpec[] | undefined => {
    const v = doc[k];
    if (!Array.isArray(v)) return undefined;
    return v.map(readSpec).filter((x): x is FieldSpec => x !== undefined);
  };
  const out: Partial<TransformerConfig> = {};
  const set = (key: keyof Omit<TransformerConfig, 'nameReference'>, name: string): void => {
    const l = list(name);
    if (l) out[key] = l;
  };
  set('namePrefix', 'namePrefix');
  set('nameSuffix', 'nameSuffix');
  set('nameSpace', 'namespace');
  set('commonLabels', 'commonLabels');
  set('templateLabels', 'templateLabels');
  set('labels', 'labels');
  set('commonAnnotations', 'commonAnnotations');
  set('varReference', 'varReference');
  set('images', 'images');
  set('replicas', 'replicas');
  const nr = doc.nameReference;
  if (Array.isArray(nr)) {
    out.nameReference = nr.filter(isMapValue).map((b) => ({
      kind: typeof b.kind === 'string' ? b.kind : '',
      ...(typeof b.group === 'string' && b.group ? { group: b.group } : {}),
      ...(typeof b.version === 'string' && b.version ? { version: b.version } : {}),
      fieldSpecs: (Array.isArray(b.fieldSpecs) ? b.fieldSpecs : []).map(readSpec).filter((x): x is FieldSpec => x !== undefined),
    }));
  }
  return out;
}

const SPLIT_CACHE = new Map<string, readonly string[]>();

/** Splits a field-spec path on unescaped slashes (`a/b\/c` → `a`, `b/c`); results are cached (do not mutate). */
export function splitPath(path: string): readonly string[] {
  let hit = SPLIT_CACHE.get(path);
  if (!hit) {
    hit = splitPathUncached(path);
    if (SPLIT_CACHE.size > 10000) SPLIT_CACHE.clear();
    SPLIT_CACHE.set(path, hit);
  }
  return hit;
}

function splitPathUncached(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === '\\' && path[i + 1] === '/') {
      cur += '/';
      i++;
    } else if (ch === '/') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.filter((s) => s !== '');
}

/** A place in a resource: the container and the key (or index) of the value found at a field spec's path. */
export interface FieldRef {
  readonly holder: JsonMap | Json[];
  readonly key: string | number;
}

/**
 * Visits the values at a field-spec path: sequences along the way apply to each element; when `create` is
 * given and the spec allows it, missing fields are created (maps on the way, `create()` at the end).
 */
export function visitPath(
  obj: JsonMap,
  segments: readonly string[],
  create: (() => Json) | undefined,
  fn: (ref: FieldRef) => void,
): void {
  const walk = (holder: JsonMap | Json[], key: string | number, i: number): void => {
    const node = (holder as Record<string | number, Json>)[key];
    if (i === segments.length) {
      fn({ holder, key });
      return;
    }
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) {
      for (let j = 0; j < node.length; j++) walk(node, j, i);
      return;
    }
    if (!isMapValue(node)) return;
    let seg = segments[i]!;
    const isSeq = seg.endsWith('[]');
    if (isSeq) seg = seg.slice(0, -2);
    const last = i === segments.length - 1;
    if (!(seg in node) || node[seg] === undefined) {
      if (!create || isSeq) return;
      node[seg] = last ? create() : {};
    } else if (node[seg] === null && !last) {
      if (create) node[seg] = {};
    } else if (node[seg] === null && last && create && !isSeq) {
      node[seg] = create();
    }
    walk(node, seg, i + 1);
  };
  walk({ root: obj }, 'root', 0);
}
