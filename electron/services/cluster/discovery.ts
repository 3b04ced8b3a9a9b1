import type { KubeTransport } from './transport';

// API discovery: which resources a cluster serves, their plural names, scope and preferred version.
// Aggregated discovery (apidiscovery.k8s.io/v2, two calls) with a fallback to per-group discovery.

/** One API resource a cluster serves. */
export interface ApiResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The plural resource name used in URLs. */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

/** The resources of one cluster, looked up by group and kind (preferred version) or by apiVersion and kind. */
export class DiscoveryCache {
  private readonly byGroupKind = new Map<string, ApiResourceInfo>();
  private readonly byVersionKind = new Map<string, ApiResourceInfo>();

  constructor(resources: readonly ApiResourceInfo[], readonly fetchedAt: number = Date.now()) {
    // Resources arrive preferred version first: the first of a group/kind is kept as the preferred one.
    for (const r of resources) {
      const gk = `${r.group}/${r.kind}`;
      if (!this.byGroupKind.has(gk)) this.byGroupKind.set(gk, r);
      this.byVersionKind.set(`${r.group}/${r.version}/${r.kind}`, r);
    }
  }

  /** The resource for an object's apiVersion and kind, or undefined when the cluster does not serve it. */
  find(apiVersion: string, kind: string): ApiResourceInfo | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    return this.byVersionKind.get(`${group}/${version}/${kind}`);
  }

  /** The preferred-version resource for a group and kind. */
  findGroupKind(group: string, kind: string): ApiResourceInfo | undefined {
    return this.byGroupKind.get(`${group}/${kind}`);
  }

  /** Every preferred-version resource. */
  all(): ApiResourceInfo[] {
    return [...this.byGroupKind.values()];
  }

  /** Every resource in every served version (not only the preferred one). */
  allVersions(): ApiResourceInfo[] {
    return [...this.byVersionKind.values()];
  }

  /** Number of group/kinds served. */
  get size(): number {
    return this.byGroupKind.size;
  }
}

/** Splits `apps/v1` into group and version (`v1` is the core group). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The URL path of a resource collection or object. */
export function resourcePath(r: ApiResourceInfo, namespace?: string, name?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface AggregatedList {
  readonly kind?: string;
  readonly items?: readonly {
    readonly metadata?: { readonly name?: string };
    readonly versions?: readonly {
      readonly version: string;
      readonly resources?: readonly { readonly resource: string; readonly responseKind?: { readonly kind?: string }; readonly scope?: string; readonly verbs?: readonly string[] }[];
    }[];
  }[];
}

interface LegacyResourceList {
  readonly groupVersion: string;
  readonly resources: readonly { readonly name: string; readonly kind: string; readonly namespaced: boolean; readonly verbs?: readonly string[] }[];
}

/** Reads one cluster's resources (aggregated discovery when served, per-group otherwise). */
export async function discover(t: KubeTransport): Promise<DiscoveryCache> {
  const [core, groups] = await Promise.all([t.request<AggregatedList>({ path: '/api', accept: AGGREGATED }), t.request<AggregatedList>({ path: '/apis', accept: AGGREGATED })]);
  if (core.kind === 'APIGroupDiscoveryList' && groups.kind === 'APIGroupDiscoveryList') {
    const out: ApiResourceInfo[] = [];
    for (const item of [...(core.items ?? []), ...(groups.items ?? [])]) {
      const group = item.metadata?.name ?? '';
      for (const v of item.versions ?? []) {
        for (const r of v.resources ?? []) {
          if (r.resource.includes('/') || !r.responseKind?.kind) continue;
          out.push({ group, version: v.version, kind: r.responseKind.kind, resource: r.resource, namespaced: r.scope === 'Namespaced', verbs: r.verbs ?? [] });
        }
      }
    }
    return new DiscoveryCache(out);
  }
  return await discoverLegacy(t);
}

/** Per-group discovery: /api/v1 plus every group's versions, preferred first. */
async function discoverLegacy(t: KubeTransport): Promise<DiscoveryCache> {
  const groupList = await t.request<{ groups?: readonly { name: string; preferredVersion?: { groupVersion: string }; versions: readonly { groupVersion: string }[] }[] }>({ path: '/apis' });
  const gvs: string[] = ['v1'];
  for (const g of groupList.groups ?? []) {
    const preferred = g.preferredVersion?.groupVersion;
    if (preferred) gvs.push(preferred);
    for (const v of g.versions) if (v.groupVersion !== preferred) gvs.push(v.groupVersion);
  }
  const lists = await Promise.allSettled(gvs.map((gv) => t.request<LegacyResourceList>({ path: gv === 'v1' ? '/api/v1' : `/apis/${gv}` })));
  const out: ApiResourceInfo[] = [];
  lists.forEach((res, i) => {
    if (res.status !== 'fulfilled') return;
    const { group, version } = splitApiVersion(gvs[i]!);
    for (const r of res.value.resources) {
      if (r.name.includes('/')) continue;
      out.push({ group, version, kind: r.kind, resource: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [] });
    }
  });
  return new DiscoveryCache(out);
}
