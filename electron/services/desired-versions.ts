import type { DesiredVersionsAsk, DesiredVersionsView } from '../../shared/api/contract';
import { DESIRED_VERSIONS_ASK_MAX } from '../../shared/api/contract';
import { FlotillaError, problem } from '../../shared/problem';
import { renderApplication } from '../../shared/fleet/render-apps';
import { desiredVersionOf } from '../../shared/fleet/version';
import type { Application } from '../../shared/model/application';
import type { HeadDiscovery } from './fleet-service';
import { sliceYielder } from './event-loop-slices';
import { renderOptions } from './sources/render-options';
import type { Session } from './session';

/** What one commit's versions are made of: the discovery, each distinct source's version once rendered. */
interface AtCommit {
  readonly key: string;
  readonly discovery: HeadDiscovery;
  readonly opts: ReturnType<typeof renderOptions>;
  readonly rows: ReadonlyMap<string, HeadDiscovery['fleet']['apps'][number]>;
  readonly bySource: Map<string, string>;
  all?: Promise<DesiredVersionsView>;
}

/**
 * What Git says every app runs, before any cluster is read: each Application rendered at HEAD and reduced to its
 * version (image tags, else chart version, else revision). Computed once per commit and shared by every caller;
 * rendering yields to the event loop between slices, so the grid and other calls are answered meanwhile. A fleet of
 * 30,000 Applications takes minutes to render: the grid asks for the apps in view first (`apps`), which are rendered
 * ahead of the rest and answered alone, and the rest fills in behind.
 */
export class DesiredVersions {
  private cached: AtCommit | undefined;

  constructor(private readonly session: Session) {}

  /** Every app's desired version at HEAD by app name; with `apps`, those first and alone (`partial`). */
  async versions(ask: DesiredVersionsAsk = {}): Promise<DesiredVersionsView> {
    const at = await this.atCommit();
    if (ask.apps === undefined) {
      if (!at.all) {
        const all = computeAll(at);
        at.all = all;
        all.catch(() => {
          if (at.all === all) delete at.all;
        });
      }
      return at.all;
    }
    if (!Array.isArray(ask.apps) || ask.apps.length > DESIRED_VERSIONS_ASK_MAX || ask.apps.some((a) => typeof a !== 'string')) {
      throw new FlotillaError(problem(`fleet:versions asks for at most ${DESIRED_VERSIONS_ASK_MAX} app names (got ${Array.isArray(ask.apps) ? ask.apps.length : typeof ask.apps})`));
    }
    const versions: Record<string, string> = {};
    const slice = sliceYielder();
    for (const name of new Set(ask.apps)) {
      const row = at.rows.get(name);
      if (!row) continue;
      const version = versionOf(at, row.application);
      if (version) versions[name] = version;
      await slice();
    }
    return { revision: at.discovery.head.sha, versions, partial: true };
  }

  private async atCommit(): Promise<AtCommit> {
    const fleet = await this.session.fleet();
    const discovery = await fleet.discovery();
    const key = `${fleet.repo.root}\n${discovery.head.sha}`;
    if (this.cached?.key !== key || this.cached.discovery.fleet !== discovery.fleet) {
      this.cached = { key, discovery, opts: renderOptions(discovery.scan, discovery.clusters), rows: new Map(discovery.fleet.apps.map((r) => [r.name, r])), bySource: new Map() };
    }
    return this.cached;
  }
}

/** An app's version from Git, its source rendered once per commit (apps of one overlay share it). */
function versionOf(at: AtCommit, app: Application): string {
  const key = sourceKey(app);
  let version = at.bySource.get(key);
  if (version === undefined) {
    const rendered = renderApplication(app, at.discovery.git, at.opts);
    // An app that does not render has no version from Git: its cell says why once refreshed, never a guess.
    version = rendered.problems.some((p) => p.severity === 'error') && rendered.objects.length === 0 ? '' : desiredVersionOf(rendered.objects, rendered.revision ?? at.discovery.head.sha, chartOf(app));
    at.bySource.set(key, version);
  }
  return version;
}

async function computeAll(at: AtCommit): Promise<DesiredVersionsView> {
  const versions: Record<string, string> = {};
  const slice = sliceYielder();
  for (const row of at.discovery.fleet.apps) {
    const version = versionOf(at, row.application);
    if (version) versions[row.name] = version;
    await slice();
  }
  return { revision: at.discovery.head.sha, versions };
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
