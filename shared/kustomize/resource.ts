/** Resources as kustomize tracks them: the object plus its id history, name-transform context and generator options. */
import type { Json, JsonMap } from './yaml';
import { isMapValue } from './yaml';

/** Group, version, kind. */
export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** A resource id: gvk, name and namespace. */
export interface ResId extends Gvk {
  readonly name: string;
  readonly namespace: string;
}

/** Splits an apiVersion into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

// Kinds the built-in OpenAPI schema marks cluster-scoped.
const CLUSTER_SCOPED = new Set([
  'APIService', 'CertificateSigningRequest', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus', 'CSIDriver', 'CSINode',
  'CustomResourceDefinition', 'FlowSchema', 'IngressClass', 'MutatingWebhookConfiguration', 'Namespace', 'Node',
  'PersistentVolume', 'PodSecurityPolicy', 'PriorityClass', 'PriorityLevelConfiguration', 'RuntimeClass',
  'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'StorageClass', 'SubjectAccessReview', 'TokenReview',
  'ValidatingWebhookConfiguration', 'VolumeAttachment', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'StorageVersion', 'ClusterTrustBundle', 'SelfSubjectReview', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'IPAddress', 'ServiceCIDR', 'VolumeAttributesClass', 'DeviceClass',
]);

/** Whether a kind is cluster-scoped (kinds unknown to the schema count as namespaced). */
export function isClusterScoped(gvk: Gvk): boolean {
  if (!CLUSTER_SCOPED.has(gvk.kind)) return false;
  const core = CORE_GROUP_KINDS.has(gvk.kind);
  return !core || gvk.group === '';
}

// Cluster-scoped kinds of the core group: a CRD of the same kind in another group is namespaced.
const CORE_GROUP_KINDS = new Set(['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus']);

/** Whether two namespaces are the same for kustomize ('' and 'default' are equal). */
export function nsEquals(a: string, b: string): boolean {
  const x = a === '' ? 'default' : a;
  const y = b === '' ? 'default' : b;
  return x === y;
}

/** kustomize's printed id: `Kind.version.group/name.namespace` (`[noGrp]`, `[noNs]` for empty parts). */
export function idString(id: ResId): string {
  const gvk = [id.kind || '[noKind]', id.version || '[noVer]', id.group || '[noGrp]'].join('.');
  return `${gvk}/${id.name || '[noName]'}.${id.namespace || '[noNs]'}`;
}

/** Whether id `a` is the same resource as `b`. */
export function idEquals(a: ResId, b: ResId): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind && a.name === b.name && nsEquals(a.namespace, b.namespace);
}

/** Whether a resource's gvk matches a field spec / selector (empty parts match anything). */
export function gvkSelected(gvk: Gvk, sel: { group?: string; version?: string; kind?: string }): boolean {
  if (sel.group && sel.group !== gvk.group) return false;
  if (sel.version && sel.version !== gvk.version) return false;
  if (sel.kind && sel.kind !== gvk.kind) return false;
  return true;
}

/** One resource in a build. */
export class Resource {
  /** Ids this resource had before names, namespaces or kinds changed, oldest first. */
  prevIds: ResId[] = [];
  /** Name prefixes and suffixes applied, innermost first. */
  prefixes: string[] = [];
  suffixes: string[] = [];
  /** Set by generators: append a content hash to the name at the end of the build. */
  needsHash = false;
  /** Generator behavior (create, merge, replace). */
  behavior: 'create' | 'merge' | 'replace' = 'create';
  /** Ids of resources whose fields refer to this one (for vars and name references). */
  refBy: ResId[] = [];
  /** Variables this resource's fields referenced. */
  refVarNames: string[] = [];
  /** The kustomization root that produced this resource. */
  root = '';
  /** `buildMetadata: [transformerAnnotations]` entries, rendered at the end of the build. */
  transformations: string[] = [];

  constructor(
    public obj: JsonMap,
    /** The repository path of the file (or kustomization) it came from. */
    public file: string,
  ) {}

  get apiVersion(): string {
    return typeof this.obj.apiVersion === 'string' ? this.obj.apiVersion : '';
  }
  get kind(): string {
    return typeof this.obj.kind === 'string' ? this.obj.kind : '';
  }
  get metadata(): JsonMap {
    const m = this.obj.metadata;
    if (isMapValue(m)) return m;
    const created: JsonMap = {};
    this.obj.metadata = created;
    return created;
  }
  get name(): string {
    const m = this.obj.metadata;
    return isMapValue(m) && typeof m.name === 'string' ? m.name : '';
  }
  set name(v: string) {
    this.metadata.name = v;
  }
  get namespace(): string {
    const m = this.obj.metadata;
    return isMapValue(m) && typeof m.namespace === 'string' ? m.namespace : '';
  }
  set namespace(v: string) {
    this.metadata.namespace = v;
  }
  gvk(): Gvk {
    const { group, version } = parseApiVersion(this.apiVersion);
    return { group, version, kind: this.kind };
  }
  curId(): ResId {
    // Built in one object (no spread of gvk()): ids are taken for every lookup, selection and name reference.
    const av = this.apiVersion;
    const i = av.indexOf('/');
    const m = this.obj.metadata;
    const meta = isMapValue(m) ? m : undefined;
    return {
      group: i < 0 ? '' : av.slice(0, i),
      version: i < 0 ? av : av.slice(i + 1),
      kind: this.kind,
      name: meta && typeof meta.name === 'string' ? meta.name : '',
      namespace: meta && typeof meta.namespace === 'string' ? meta.namespace : '',
    };
  }
  /** The id the resource was first read or generated with. */
  orgId(): ResId {
    return this.prevIds[0] ?? this.curId();
  }
  /** Every id the resource has had, the current one last. */
  allIds(): ResId[] {
    return [...this.prevIds, this.curId()];
  }
  /** Remembers the current id before a transformer changes name, namespace or kind. */
  storePreviousId(): void {
    this.prevIds.push(this.curId());
  }
  labels(): Record<string, string> {
    const l = this.metadata.labels;
    const out: Record<string, string> = {};
    if (isMapValue(l)) for (const [k, v] of Object.entries(l)) out[k] = typeof v === 'string' ? v : String(v);
    return out;
  }
  annotations(): Record<string, string> {
    const l = this.metadata.annotations;
    const out: Record<string, string> = {};
    if (isMapValue(l)) for (const [k, v] of Object.entries(l)) out[k] = typeof v === 'string' ? v : String(v);
    return out;
  }
  /** A deep copy with the same bookkeeping. */
  clone(): Resource {
    const r = new Resource(deepCopy(this.obj) as JsonMap, this.file);
    r.prevIds = [...this.prevIds];
    r.prefixes = [...this.prefixes];
    r.suffixes = [...this.suffixes];
    r.needsHash = this.needsHash;
    r.behavior = this.behavior;
    r.refBy = [...this.refBy];
    r.refVarNames = [...this.refVarNames];
    r.root = this.root;
    r.transformations = [...this.transformations];
    return r;
  }
}

/** Deep-copies a JSON-like value. */
export function deepCopy(v: Json): Json {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (isMapValue(v)) {
    const out: JsonMap = {};
    for (const k of Object.keys(v)) out[k] = deepCopy(v[k]!);
    return out;
  }
  return v;
}

/** Structural equality of JSON-like values. */
export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]!));
  }
  if (isMapValue(a)) {
    if (!isMapValue(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k]!, b[k]!));
  }
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  return false;
}
