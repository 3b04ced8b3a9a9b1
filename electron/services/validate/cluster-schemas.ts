import type { SchemaBundle } from '../../../shared/validate/schema/compact';
import { bundleBuilder } from '../../../shared/validate/schema/openapi-v3';
import type { ClusterConnection } from '../cluster/connection';

// A connected cluster's own schemas: its /openapi/v3 index, then every group-version document it serves (built-in
// kinds of its exact version and the custom resources of its CRDs), read through the cluster's connection (its
// deadline, credentials and state) and turned into the same compact form as the bundled versions. Kept per server
// and version for the life of the process.

const cache = new Map<string, Promise<SchemaBundle>>();

/** Documents of the index that describe no resources. */
const SKIP = /^(version|logs|openid\/|\.well-known\/|api$|apis$)/;

/** The cluster's schemas from its /openapi/v3 (throws when it cannot be read; callers fall back to bundled ones). */
export async function clusterSchemas(conn: Pick<ClusterConnection, 'request' | 'ping'>): Promise<SchemaBundle> {
  const info = await conn.ping();
  if (info.state !== 'ready' || !info.version) throw new Error(`${info.cluster} is ${info.state}${info.reason ? `: ${info.reason}` : ''}`);
  const key = `${info.server}\u0000${info.version}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = read(conn, info.version.replace(/^v/, '').replace(/[+-].*$/, ''), `${info.server}/openapi/v3`);
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

async function read(conn: Pick<ClusterConnection, 'request'>, version: string, source: string): Promise<SchemaBundle> {
  const index = await conn.request<{ paths?: Record<string, { serverRelativeURL?: string }> }>({ path: '/openapi/v3' });
  const builder = bundleBuilder(version, source);
  for (const [p, entry] of Object.entries(index.paths ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (SKIP.test(p) || !entry.serverRelativeURL) continue;
    builder.add(await conn.request({ path: entry.serverRelativeURL }));
  }
  return builder.build();
}
