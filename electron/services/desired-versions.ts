import type { DesiredVersionsView } from '../../shared/api/contract';
import { renderApplication } from '../../shared/fleet/render-apps';
import { desiredVersionOf } from '../../shared/fleet/version';
import type { Application } from '../../shared/model/application';
import type { HeadDiscovery } from './fleet-service';
import { helmRunnerFor } from './helm/kustomize-helm-runner';
import type { Session } from './session';
import { sourceTools } from './sources/source-tools';

/** How long one slice of rendering may hold the event loop before the server answers other calls. */
const SLICE_MS = 20;

/**
 * What Git says every app runs, before any cluster is read: each Application rendered at HEAD and reduced to its
 * version (image tags, else chart version, else revision). Computed once per commit and shared by every caller;
 * rendering yields to the event loop between slices, so the grid and other calls are answered meanwhile.
 */
export class DesiredVersions {
  private cached: { readonly key: string; readonly result: Promise<DesiredVersionsView> } | undefined;

  constructor(private readonly session: Session) {}

  /** Every app's desired version at HEAD, by app name. */
  async versions(): Promise<DesiredVersionsView> {
    const fleet = await this.session.fleet();
    const discovery = await fleet.discovery();
    const key = `${fleet.repo.root}\n${discovery.head.sha}`;
    if (this.cached?.key === key) return this.cached.result;
    const result = computeVersions(discovery);
    this.cached = { key, result };
    result.catch(() => {
      if (this.cached?.result === result) this.cached = undefined;
    });
    return result;
  }
}

async function computeVersions(d: HeadDiscovery): Promise<DesiredVersionsView> {
  const opts = { clusters: d.clusters, loadRestrictor: d.scan.fleet.loadRestrictor, helmFor: helmRunnerFor, tools: sourceTools() };
  const versions: Record<string, string> = {};
  const bySource = new Map<string, string>();
  let sliceStart = performance.now();
  for (const row of d.fleet.apps) {
    const app = row.application;
    const key = sourceKey(app);
    let version = bySource.get(key);
    if (version === undefined) {
      const rendered = renderApplication(app, d.git, opts);
      // An app that does not render has no version from Git: its cell says why once refreshed, never a guess.
      version = rendered.problems.some((p) => p.severity === 'error') && rendered.objects.length === 0 ? '' : desiredVersionOf(rendered.objects, rendered.revision ?? d.head.sha, chartOf(app));
      bySource.set(key, version);
    }
    if (version) versions[row.name] = version;
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((r) => setImmediate(r));
      sliceStart = performance.now();
    }
  }
  return { revision: d.head.sha, versions };
}

/**
 * What an app's images depend on: its sources and destination namespace, so apps generated from one overlay for the
 * several clusters of an environment render once. Helm sources (release name, capabilities) and `$ARGOCD_APP_*`
 * variables can read the app itself, so those render per app.
 */
function sourceKey(app: Application): string {
  const sources = JSON.stringify([app.spec.source ?? null, app.spec.sources ?? null]);
  const perApp = sources.includes('"helm"') || sources.includes('"chart"') || sources.includes('$');
  return `${sources}\n${app.spec.destination.namespace ?? ''}${perApp ? `\n${app.metadata.name}\n${JSON.stringify(app.spec.destination)}` : ''}`;
}

function chartOf(app: Application): { chart: string; targetRevision?: string } | undefined {
  const s = app.spec.source ?? app.spec.sources?.find((x) => x.chart);
  return s?.chart ? { chart: s.chart, ...(s.targetRevision ? { targetRevision: s.targetRevision } : {}) } : undefined;
}
