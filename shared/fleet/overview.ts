import type { AppSetSummary } from '../api/contract';
import type { GitReader } from '../appset/engine';
import { clustersFromSecrets, generateApplicationSet } from '../appset/engine';
import type { ClusterSpec } from '../model/fleet';
import type { Problem } from '../problem';
import type { FoundDoc, RepoScan } from '../repo/scan';
import { isRecord, parseYamlDocuments } from '../yaml/documents';

/** The fleet's clusters: those of the fleet file, then Argo CD cluster Secrets found in the repo (the fleet file wins on a name clash). */
export function fleetClusters(scan: RepoScan): ClusterSpec[] {
  const out = [...scan.fleet.clusters];
  for (const c of clustersFromSecrets(scan.clusterSecrets)) if (!out.some((x) => x.name === c.name)) out.push(c);
  return out;
}

/** Generates the given ApplicationSet documents; one failing ApplicationSet never stops the others. */
export function generateDocs(docs: readonly FoundDoc[], clusters: readonly ClusterSpec[], git: GitReader): AppSetSummary[] {
  return docs.map((doc) => {
    // The fleet lists every cluster it deploys to: no implicit Argo CD `in-cluster` entry.
    const r = generateApplicationSet(doc.value, { file: doc.file, line: doc.line, ...(doc.at ? { at: doc.at } : {}) }, { clusters, git, inCluster: false });
    return {
      name: r.name,
      file: r.file,
      line: r.line,
      generators: r.generators,
      problems: r.problems,
      apps: r.apps.map((a) => ({ name: a.application.metadata.name, appset: r.name, application: a.application, explain: a.explain })),
    };
  });
}

/** Generates every ApplicationSet of a scanned repository. */
export function generateAll(scan: RepoScan, git: GitReader): { appsets: AppSetSummary[]; problems: Problem[] } {
  return { appsets: generateDocs(scan.applicationSets, fleetClusters(scan), git), problems: [...scan.problems] };
}

/** Generates the ApplicationSets in an edited (unsaved) file's text against the repository's clusters and git; YAML errors come back with line and column. */
export function previewAppSetText(file: string, text: string, scan: RepoScan, git: GitReader): { appsets: AppSetSummary[]; problems: Problem[] } {
  const parsed = parseYamlDocuments(text, file);
  const docs: FoundDoc[] = parsed.docs.filter((d) => isRecord(d.value) && d.value.kind === 'ApplicationSet').map((d) => ({ value: d.value as Record<string, unknown>, file, line: d.line }));
  const problems: Problem[] = [...parsed.problems];
  if (parsed.problems.length === 0 && docs.length === 0) problems.push({ severity: 'error', message: 'no ApplicationSet document in this text (expected kind: ApplicationSet)', file, line: 1 });
  return { appsets: generateDocs(docs, fleetClusters(scan), git), problems };
}
