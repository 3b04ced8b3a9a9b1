import type { AppSetSummary } from '../api/contract';
import type { AppSetCluster, GitReader } from '../appset/engine';
import { clustersFromSecrets, generateApplicationSet } from '../appset/engine';
import { IN_CLUSTER_SERVER } from '../appset/generators/clusters';
import type { ClusterSpec } from '../model/fleet';
import type { FoundDoc, RepoScan } from '../repo/scan';
import { qualifiedAppName } from './app-name';

/** The fleet's clusters: those of the fleet file, then Argo CD cluster Secrets found in the repo (the fleet file wins on a name clash). */
export function fleetClusters(scan: RepoScan): ClusterSpec[] {
  const out = [...scan.fleet.clusters];
  for (const c of clustersFromSecrets(scan.clusterSecrets)) if (!out.some((x) => x.name === c.name)) out.push(c);
  return out;
}

/**
 * The clusters as Argo CD's generators see them: the fleet cluster that says `inCluster: true` is Argo CD's own
 * (server https://kubernetes.default.svc), so no implicit `in-cluster` is added beside it; without one, the clusters
 * generator adds `in-cluster` as Argo CD does.
 */
export function generatorClusters(clusters: readonly ClusterSpec[]): AppSetCluster[] {
  return clusters.map((c) => (c.inCluster ? { ...c, server: IN_CLUSTER_SERVER } : c));
}

/** Generates the given ApplicationSet documents; one failing ApplicationSet never stops the others. */
export function generateDocs(docs: readonly FoundDoc[], clusters: readonly ClusterSpec[], git: GitReader, parent?: string): AppSetSummary[] {
  const seen = generatorClusters(clusters);
  return docs.map((doc) => {
    const r = generateApplicationSet(doc.value, { file: doc.file, line: doc.line, ...(doc.at ? { at: doc.at } : {}) }, { clusters: seen, git, inCluster: true });
    const meta = doc.value['metadata'];
    const namespace = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>)['namespace'] : undefined;
    // One origin for every app of the ApplicationSet (origins are replaced, never changed in place).
    const origin = parent !== undefined ? { kind: 'app' as const, parent, appset: r.name } : { kind: 'appset' as const, appset: r.name, file: r.file, line: r.line };
    return {
      name: r.name,
      ...(typeof namespace === 'string' && namespace !== '' ? { namespace } : {}),
      file: r.file,
      line: r.line,
      generators: r.generators,
      problems: r.problems,
      ...(parent !== undefined ? { parent } : {}),
      apps: r.apps.map((a) => ({
        name: qualifiedAppName(a.application.metadata),
        appset: r.name,
        origin,
        application: a.application,
        explain: a.explain,
      })),
    };
  });
}
