import type { ClusterCapabilities } from '../../../shared/sources/types';
import type { ClusterConnection } from '../cluster/connection';
import type { ApiResourceInfo, DiscoveryCache } from '../cluster/discovery';
import type { ClusterSpec } from '../../../shared/model/fleet';
import { ClusterManager } from '../cluster/cluster-manager';
import { loadKubeconfig } from '../cluster/kubeconfig';

/** What Helm's `.Capabilities` sees of a target cluster: its version and every API version and kind it serves. */
export interface HelmCapabilities {
  readonly kubeVersion?: string;
  readonly apiVersions: readonly string[];
}

/** The capabilities of a set of clusters, looked up by cluster name while rendering (RenderOptions.capabilities). */
export type CapabilitiesLookup = (cluster: string | undefined) => ClusterCapabilities | undefined;

/**
 * The `--api-versions` Argo CD's controller passes for a cluster (`APIResourcesToStrings(resources, true)`): each
 * served `group/version` and `group/version/Kind`, sorted and without duplicates.
 */
export function helmApiVersions(resources: readonly ApiResourceInfo[]): string[] {
  const out = new Set<string>();
  for (const r of resources) {
    const gv = r.group ? `${r.group}/${r.version}` : r.version;
    out.add(gv);
    out.add(`${gv}/${r.kind}`);
  }
  return [...out].sort();
}

// One list per discovery read: a connection re-reads discovery when it refreshes (or its TTL passes), so the API
// versions are computed once per cluster per refresh and dropped with the discovery they came from.
const apiVersionsOf = new WeakMap<DiscoveryCache, readonly string[]>();

/** A connected cluster's capabilities (undefined while it is not ready: Helm then uses its own defaults). */
export async function clusterCapabilities(conn: ClusterConnection): Promise<HelmCapabilities | undefined> {
  if (conn.info.state !== 'ready') return undefined;
  try {
    const disc = await conn.discovery();
    let apiVersions = apiVersionsOf.get(disc);
    if (!apiVersions) apiVersionsOf.set(disc, (apiVersions = helmApiVersions(disc.allVersions())));
    return { ...(conn.info.version ? { kubeVersion: conn.info.version } : {}), apiVersions };
  } catch {
    return undefined;
  }
}

/**
 * Connects the named clusters of a manager (in parallel, each bounded by the manager's call deadline) and reads their
 * capabilities. A cluster that cannot be reached gives no versions, only the reason, which `render --app` and the
 * app page show beside the Helm source ("helm's default Kubernetes version (cluster dev is unreachable: …)").
 * `reconnect: false` leaves an unreachable or forbidden cluster as it is (its heartbeat retries it).
 */
export async function capabilitiesLookup(manager: ClusterManager, names: Iterable<string>, opts: { readonly reconnect?: boolean } = {}): Promise<CapabilitiesLookup> {
  const known = new Set(manager.names());
  const wanted = [...new Set(names)].filter((n) => known.has(n));
  const found = new Map<string, ClusterCapabilities>();
  await Promise.allSettled(
    wanted.map(async (name) => {
      const conn = manager.connection(name);
      // A long-lived manager (the desktop session's) retries dead clusters on its heartbeat: no new attempt per render.
      const info = opts.reconnect === false && conn.info.state !== 'connecting' ? conn.info : await conn.connect().catch(() => conn.info);
      const caps = info.state === 'ready' ? await clusterCapabilities(conn) : undefined;
      found.set(name, caps ? { ...caps, from: `cluster ${name}` } : { from: `cluster ${name} is ${conn.info.state}${conn.info.reason ? `: ${conn.info.reason}` : ''}` });
    }),
  );
  return (cluster) => (cluster === undefined ? undefined : found.get(cluster));
}

/** A lookup that says the same reason for every cluster (`--offline`, no kubeconfig): Helm uses the fleet file's or its own. */
export function capabilitiesUnavailable(reason: string): CapabilitiesLookup {
  return (cluster) => (cluster === undefined ? undefined : { from: reason });
}

/** How a one-shot command reaches the target clusters for their capabilities: through kubeconfig files, or not. */
export type ClusterAccess = { readonly kubeconfig: readonly string[]; readonly timeoutMs?: number } | { readonly offline: string };

/**
 * Reads the capabilities of the given fleet clusters for one command: each cluster whose kubeconfig context exists is
 * connected (in parallel, bounded by `timeoutMs`); the others, or all of them offline, give only the reason. Call
 * `close()` when the renders are done.
 */
export async function readCapabilities(access: ClusterAccess, clusters: readonly ClusterSpec[]): Promise<{ readonly lookup: CapabilitiesLookup; close(): void }> {
  if ('offline' in access || clusters.length === 0) return { lookup: capabilitiesUnavailable('offline' in access ? access.offline : 'no cluster'), close: () => {} };
  const kubeconfig = loadKubeconfig(access.kubeconfig);
  const contexts = new Set(kubeconfig.contexts.map((c) => c.name));
  const reachable = clusters.filter((c) => contexts.has(c.context ?? c.name));
  const missing = new Map(clusters.filter((c) => !reachable.includes(c)).map((c) => [c.name, `cluster ${c.name} has no context ${c.context ?? c.name} in the kubeconfig`] as const));
  // No cluster has a context (no kubeconfig, say): nothing to connect, and no cluster client to load.
  if (reachable.length === 0) return { lookup: (cluster) => (cluster === undefined ? undefined : missing.has(cluster) ? { from: missing.get(cluster)! } : undefined), close: () => {} };
  const manager = new ClusterManager(kubeconfig, { clusters: reachable, timeoutMs: access.timeoutMs ?? 10_000, initialBackoffMs: 60_000 });
  const live = await capabilitiesLookup(manager, reachable.map((c) => c.name));
  return {
    lookup: (cluster) => (cluster === undefined ? undefined : (live(cluster) ?? (missing.has(cluster) ? { from: missing.get(cluster)! } : undefined))),
    close: () => manager.close(),
  };
}
