import type { Json, JsonMap } from '../kustomize/yaml';
import { isMapValue } from '../kustomize/yaml';
import type { KubeObject } from '../model/status';

// Flux's objects as the controllers read them (kustomize.toolkit.fluxcd.io/v1 Kustomization, helm.toolkit.fluxcd.io/v2
// HelmRelease, source.toolkit.fluxcd.io/v1 GitRepository): the typed fields Flotilla renders with, read from the YAML
// as the typed round-trip does (fields the API does not know are dropped), with a clear error for a wrong type.

/** The API group of Flux Kustomizations. */
export const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
/** The API group of HelmReleases. */
export const HELM_GROUP = 'helm.toolkit.fluxcd.io';
/** The API group of Flux sources (GitRepository, OCIRepository, HelmRepository, Bucket). */
export const SOURCE_GROUP = 'source.toolkit.fluxcd.io';

/** A reference to a Flux source or another Flux object. */
export interface FluxRef {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** `dependsOn` entry. */
export interface DependsOn {
  readonly name: string;
  readonly namespace?: string;
}

/** A ConfigMap/Secret reference of `substituteFrom`/`valuesFrom`. */
export interface ValuesReference {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly optional: boolean;
  /** HelmRelease only: the data key (default `values.yaml`). */
  readonly valuesKey?: string;
  /** HelmRelease only: where the value goes in the values (`a.b[0]`). */
  readonly targetPath?: string;
}

/** Labels and annotations Flux sets on every object it applies. */
export interface CommonMetadata {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A Flux Kustomization's spec, the fields rendering uses. */
export interface FluxKustomizationSpec {
  readonly path: string;
  readonly sourceRef?: FluxRef;
  readonly targetNamespace?: string;
  readonly namePrefix?: string;
  readonly nameSuffix?: string;
  readonly patches: readonly { readonly patch?: string; readonly target?: Json }[];
  readonly components: readonly string[];
  readonly ignoreMissingComponents: boolean;
  readonly images: readonly { readonly name: string; readonly newName?: string; readonly newTag?: string; readonly digest?: string }[];
  readonly commonMetadata?: CommonMetadata;
  readonly postBuild?: {
    readonly substitute: Readonly<Record<string, string>>;
    readonly substituteFrom: readonly ValuesReference[];
    readonly always: boolean;
  };
  readonly dependsOn: readonly DependsOn[];
  readonly suspend: boolean;
}

/** A HelmRelease's spec, the fields rendering uses. */
export interface HelmReleaseSpec {
  readonly chart?: { readonly chart: string; readonly version?: string; readonly sourceRef: FluxRef };
  readonly chartRef?: FluxRef;
  readonly releaseName?: string;
  readonly targetNamespace?: string;
  readonly storageNamespace?: string;
  readonly crds: 'Skip' | 'Create' | 'CreateReplace';
  readonly disableHooks: boolean;
  readonly disableSchemaValidation: boolean;
  readonly valuesFrom: readonly ValuesReference[];
  readonly values?: JsonMap;
  readonly commonMetadata?: CommonMetadata;
  readonly postRenderers: number;
  readonly dependsOn: readonly DependsOn[];
  readonly suspend: boolean;
}

/** A Flux object's name, namespace (default `default`) and spec, or why its spec cannot be read. */
export type Decoded<T> = { readonly name: string; readonly namespace: string; readonly spec: T } | { readonly error: string };

/** Finds the ConfigMaps and Secrets a Flux object reads (the cluster's, or what the repository declares for it). */
export interface FluxObjectStore {
  /** The object, or undefined when there is none. */
  get(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): KubeObject | undefined;
}

/** A store holding the given objects (Secret `stringData` folded into `data` as the API server does). */
export function objectStore(objects: readonly KubeObject[], defaultNamespace = 'default'): FluxObjectStore {
  const byKey = new Map<string, KubeObject>();
  for (const o of objects) {
    if (o.apiVersion !== 'v1' || (o.kind !== 'ConfigMap' && o.kind !== 'Secret')) continue;
    const meta = (isMapValue(o.metadata) ? o.metadata : {}) as Record<string, unknown>;
    const ns = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : defaultNamespace;
    byKey.set(`${o.kind}/${ns}/${String(meta['name'])}`, o);
  }
  return { get: (kind, namespace, name) => byKey.get(`${kind}/${namespace}/${name}`) };
}

/** Typed reading with Go-like wrong-type errors. */
class Reader {
  constructor(private readonly where: string) {}

  fail(path: string, want: string, v: Json): never {
    throw new Error(`${this.where}: spec${path}: expected ${want}, got ${v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v}`);
  }
  str(m: JsonMap, k: string, path: string): string | undefined {
    const v = m[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail(`${path}.${k}`, 'string', v);
    return v;
  }
  bool(m: JsonMap, k: string, path: string): boolean {
    const v = m[k];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') this.fail(`${path}.${k}`, 'boolean', v);
    return v;
  }
  map(m: JsonMap, k: string, path: string): JsonMap | undefined {
    const v = m[k];
    if (v === undefined || v === null) return undefined;
    if (!isMapValue(v)) this.fail(`${path}.${k}`, 'object', v);
    return v;
  }
  list(m: JsonMap, k: string, path: string): Json[] {
    const v = m[k];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(`${path}.${k}`, 'list', v);
    return v;
  }
  maps(m: JsonMap, k: string, path: string): JsonMap[] {
    return this.list(m, k, path).map((e, i) => {
      if (!isMapValue(e)) this.fail(`${path}.${k}[${i}]`, 'object', e);
      return e;
    });
  }
  strMap(m: JsonMap, k: string, path: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, v] of Object.entries(this.map(m, k, path) ?? {})) {
      if (typeof v !== 'string') this.fail(`${path}.${k}.${key}`, 'string', v);
      out[key] = v;
    }
    return out;
  }
  ref(m: JsonMap | undefined, path: string): FluxRef | undefined {
    if (!m) return undefined;
    const ns = this.str(m, 'namespace', path);
    return { kind: this.str(m, 'kind', path) ?? '', name: this.str(m, 'name', path) ?? '', ...(ns ? { namespace: ns } : {}) };
  }
  dependsOn(spec: JsonMap): DependsOn[] {
    return this.maps(spec, 'dependsOn', '').map((d, i) => {
      const ns = this.str(d, 'namespace', `.dependsOn[${i}]`);
      return { name: this.str(d, 'name', `.dependsOn[${i}]`) ?? '', ...(ns ? { namespace: ns } : {}) };
    });
  }
  commonMetadata(spec: JsonMap): CommonMetadata | undefined {
    const cm = this.map(spec, 'commonMetadata', '');
    return cm ? { labels: this.strMap(cm, 'labels', '.commonMetadata'), annotations: this.strMap(cm, 'annotations', '.commonMetadata') } : undefined;
  }
  references(m: JsonMap, k: string, path: string, helm: boolean): ValuesReference[] {
    return this.maps(m, k, path).map((r, i) => {
      const at = `${path}.${k}[${i}]`;
      const kind = this.str(r, 'kind', at);
      if (kind !== 'ConfigMap' && kind !== 'Secret') throw new Error(`${this.where}: spec${at}.kind: must be ConfigMap or Secret, got ${JSON.stringify(kind ?? '')}`);
      const valuesKey = helm ? this.str(r, 'valuesKey', at) : undefined;
      const targetPath = helm ? this.str(r, 'targetPath', at) : undefined;
      return { kind, name: this.str(r, 'name', at) ?? '', optional: this.bool(r, 'optional', at), ...(valuesKey ? { valuesKey } : {}), ...(targetPath ? { targetPath } : {}) };
    });
  }
}

function meta(obj: JsonMap): { name: string; namespace: string } {
  const m = isMapValue(obj['metadata']) ? obj['metadata'] : {};
  return { name: typeof m['name'] === 'string' ? m['name'] : '', namespace: typeof m['namespace'] === 'string' && m['namespace'] !== '' ? m['namespace'] : 'default' };
}

/** Reads a Flux Kustomization. */
export function decodeKustomization(obj: JsonMap): Decoded<FluxKustomizationSpec> {
  const { name, namespace } = meta(obj);
  const r = new Reader(`Kustomization ${namespace}/${name}`);
  try {
    const spec = isMapValue(obj['spec']) ? obj['spec'] : {};
    const pb = r.map(spec, 'postBuild', '');
    const strategy = pb ? r.str(pb, 'substituteStrategy', '.postBuild') : undefined;
    const targetNamespace = r.str(spec, 'targetNamespace', '');
    const namePrefix = r.str(spec, 'namePrefix', '');
    const nameSuffix = r.str(spec, 'nameSuffix', '');
    const commonMetadata = r.commonMetadata(spec);
    const sourceRef = r.ref(r.map(spec, 'sourceRef', ''), '.sourceRef');
    return {
      name,
      namespace,
      spec: {
        path: r.str(spec, 'path', '') ?? '',
        ...(sourceRef ? { sourceRef } : {}),
        ...(targetNamespace !== undefined ? { targetNamespace } : {}),
        ...(namePrefix !== undefined ? { namePrefix } : {}),
        ...(nameSuffix !== undefined ? { nameSuffix } : {}),
        patches: r.maps(spec, 'patches', '').map((p, i) => {
          const patch = r.str(p, 'patch', `.patches[${i}]`);
          return { ...(patch !== undefined ? { patch } : {}), ...(p['target'] !== undefined && p['target'] !== null ? { target: p['target'] } : {}) };
        }),
        components: r.list(spec, 'components', '').map((c, i) => (typeof c === 'string' ? c : r.fail(`.components[${i}]`, 'string', c))),
        ignoreMissingComponents: r.bool(spec, 'ignoreMissingComponents', ''),
        images: r.maps(spec, 'images', '').map((m, i) => {
          const at = `.images[${i}]`;
          const [newName, newTag, digest] = [r.str(m, 'newName', at), r.str(m, 'newTag', at), r.str(m, 'digest', at)];
          return { name: r.str(m, 'name', at) ?? '', ...(newName ? { newName } : {}), ...(newTag ? { newTag } : {}), ...(digest ? { digest } : {}) };
        }),
        ...(commonMetadata ? { commonMetadata } : {}),
        ...(pb ? { postBuild: { substitute: r.strMap(pb, 'substitute', '.postBuild'), substituteFrom: r.references(pb, 'substituteFrom', '.postBuild', false), always: strategy === 'Always' } } : {}),
        dependsOn: r.dependsOn(spec),
        suspend: r.bool(spec, 'suspend', ''),
      },
    };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Reads a HelmRelease. */
export function decodeHelmRelease(obj: JsonMap): Decoded<HelmReleaseSpec> {
  const { name, namespace } = meta(obj);
  const r = new Reader(`HelmRelease ${namespace}/${name}`);
  try {
    const spec = isMapValue(obj['spec']) ? obj['spec'] : {};
    const chartSpec = r.map(r.map(spec, 'chart', '') ?? {}, 'spec', '.chart');
    const install = r.map(spec, 'install', '') ?? {};
    const crds = r.str(install, 'crds', '.install') ?? 'Create';
    if (crds !== 'Skip' && crds !== 'Create' && crds !== 'CreateReplace') throw new Error(`HelmRelease ${namespace}/${name}: spec.install.crds: must be Skip, Create or CreateReplace, got ${JSON.stringify(crds)}`);
    const chartRef = r.ref(r.map(spec, 'chartRef', ''), '.chartRef');
    const [releaseName, targetNamespace, storageNamespace] = [r.str(spec, 'releaseName', ''), r.str(spec, 'targetNamespace', ''), r.str(spec, 'storageNamespace', '')];
    const values = r.map(spec, 'values', '');
    const commonMetadata = r.commonMetadata(spec);
    const version = chartSpec ? r.str(chartSpec, 'version', '.chart.spec') : undefined;
    return {
      name,
      namespace,
      spec: {
        ...(chartSpec ? { chart: { chart: r.str(chartSpec, 'chart', '.chart.spec') ?? '', ...(version ? { version } : {}), sourceRef: r.ref(r.map(chartSpec, 'sourceRef', '.chart.spec'), '.chart.spec.sourceRef') ?? { kind: '', name: '' } } } : {}),
        ...(chartRef ? { chartRef } : {}),
        ...(releaseName ? { releaseName } : {}),
        ...(targetNamespace ? { targetNamespace } : {}),
        ...(storageNamespace ? { storageNamespace } : {}),
        crds,
        disableHooks: r.bool(install, 'disableHooks', '.install'),
        disableSchemaValidation: r.bool(install, 'disableSchemaValidation', '.install'),
        valuesFrom: r.references(spec, 'valuesFrom', '', true),
        ...(values ? { values } : {}),
        ...(commonMetadata ? { commonMetadata } : {}),
        postRenderers: r.list(spec, 'postRenderers', '').length,
        dependsOn: r.dependsOn(spec),
        suspend: r.bool(spec, 'suspend', ''),
      },
    };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
