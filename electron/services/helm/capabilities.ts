import type { ClusterConnection } from '../cluster/connection';
import type { ApiResourceInfo } from '../cluster/discovery';

/** What Helm's `.Capabilities` sees of a target cluster: its version and every API version and kind it serves. */
export interface HelmCapabilities {
  readonly kubeVersion?: string;
  readonly apiVersions: readonly string[];
}

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

/** A connected cluster's capabilities (undefined while it is not ready: Helm then uses its own defaults). */
export async function clusterCapabilities(conn: ClusterConnection): Promise<HelmCapabilities | undefined> {
  if (conn.info.state !== 'ready') return undefined;
  try {
    const disc = await conn.discovery();
    return { ...(conn.info.version ? { kubeVersion: conn.info.version } : {}), apiVersions: helmApiVersions(disc.allVersions()) };
  } catch {
    return undefined;
  }
}
