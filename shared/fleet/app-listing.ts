import type { AppRow, FleetOverview } from '../api/contract';
import type { ClusterSpec } from '../model/fleet';
import type { Problem } from '../problem';
import type { AppOrigin } from './app-origin';
import { clusterForApp } from './destination';

// The UI's lists (Applications, ApplicationSets, the command palette) show a few fields of each app; the whole
// generated Application stays on the Node side (the app page reads it with `app:detail`). At 10,000 apps × 3
// clusters the full rows were 9.1 MB of JSON, written on the server's event loop and parsed on the page's main
// thread beside the grid's first paint.

/**
 * An app as the UI's lists show it: its name, origin, destination, first source and problems, not its whole Application
 * nor its generator's parameters (half of the listing at 10,000 × 3; the ApplicationSets page explains the apps of the
 * file it previews, the app page the app it shows).
 */
export interface AppListing {
  /** Argo CD's name for it (`name`, or `namespace/name` outside the control-plane namespace). */
  readonly name: string;
  /** The ApplicationSet that generated it ('' when none did). */
  readonly appset: string;
  readonly origin: AppOrigin;
  /** The fleet cluster it deploys to (by destination name or server), else its destination's name; absent when neither. */
  readonly cluster?: string;
  /** Its AppProject as written ('' when unset: Argo CD's `default`). */
  readonly project: string;
  readonly destination: { readonly server?: string; readonly name?: string; readonly namespace?: string };
  /** Its source, or the first of its `sources`: where it renders from. */
  readonly source?: { readonly path?: string; readonly chart?: string; readonly targetRevision?: string };
  readonly problems?: readonly Problem[];
}

/** The overview as the UI reads it (`fleet:overview`, `repo:open`): every app as a listing. */
export interface FleetOverviewView extends Omit<FleetOverview, 'apps'> {
  readonly apps: readonly AppListing[];
}

/** One app's listing; `clusters` are the fleet's, to name the cluster it deploys to. */
export function appListing(row: AppRow, clusters: readonly ClusterSpec[]): AppListing {
  const spec = row.application.spec;
  const d = spec.destination;
  const s = spec.source ?? spec.sources?.[0];
  const cluster = clusterForApp(row.application, clusters)?.name ?? d.name;
  return {
    name: row.name,
    appset: row.appset,
    origin: row.origin,
    ...(cluster !== undefined ? { cluster } : {}),
    project: spec.project,
    destination: { ...(d.server !== undefined ? { server: d.server } : {}), ...(d.name !== undefined ? { name: d.name } : {}), ...(d.namespace !== undefined ? { namespace: d.namespace } : {}) },
    ...(s ? { source: { ...(typeof s.path === 'string' ? { path: s.path } : {}), ...(typeof s.chart === 'string' ? { chart: s.chart } : {}), ...(typeof s.targetRevision === 'string' ? { targetRevision: s.targetRevision } : {}) } } : {}),
    ...(row.problems?.length ? { problems: row.problems } : {}),
  };
}

/** The overview as the UI reads it: the same repository, ApplicationSets and problems, each app as a listing. */
export function overviewView(overview: FleetOverview): FleetOverviewView {
  const clusters = overview.repo.fleet?.clusters ?? [];
  return { ...overview, apps: overview.apps.map((a) => appListing(a, clusters)) };
}
