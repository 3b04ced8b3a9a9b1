import type { AppSetSummary } from '../api/contract';
import type { GitReader } from '../appset/engine';
import type { Problem } from '../problem';
import type { FoundDoc, RepoScan } from '../repo/scan';
import { isRecord, parseYamlDocuments } from '../yaml/documents';
import { fleetClusters, generateDocs } from './appsets';
import type { DiscoveredFleet, DiscoverOptions } from './discover';
import { discoverApps } from './discover';

export { fleetClusters, generateDocs } from './appsets';

/**
 * Every app of a scanned repository: what its ApplicationSets generate, its plain Applications, and what those
 * render (app of apps), checked against its AppProjects. `apps` lists each app once; `appsets` keeps the grouping.
 */
export function generateAll(scan: RepoScan, git: GitReader, opts: DiscoverOptions = {}): DiscoveredFleet {
  const d = discoverApps(scan, git, opts);
  return { ...d, problems: [...scan.problems, ...d.problems] };
}

/** Generates the ApplicationSets in an edited (unsaved) file's text against the repository's clusters and git; YAML errors come back with line and column. */
export function previewAppSetText(file: string, text: string, scan: RepoScan, git: GitReader): { appsets: AppSetSummary[]; problems: Problem[] } {
  const parsed = parseYamlDocuments(text, file);
  const docs: FoundDoc[] = parsed.docs.filter((d) => isRecord(d.value) && d.value.kind === 'ApplicationSet').map((d) => ({ value: d.value as Record<string, unknown>, file, line: d.line }));
  const problems: Problem[] = [...parsed.problems];
  if (parsed.problems.length === 0 && docs.length === 0) problems.push({ severity: 'error', message: 'no ApplicationSet document in this text (expected kind: ApplicationSet)', file, line: 1 });
  return { appsets: generateDocs(docs, fleetClusters(scan), git), problems };
}
