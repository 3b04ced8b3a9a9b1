// Prometheus metrics of the fleet (prom-client), read at scrape time from the store and HEAD: Argo CD's own
// `argocd_app_info` and `argocd_app_sync_total` (same names and labels, so existing dashboards and alert rules work),
// and Flotilla's `flotilla_drift_seconds`, `flotilla_refresh_duration_seconds`, `flotilla_promotions_total` and
// `flotilla_cluster_up`.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { clusterForApp } from '../../../shared/fleet/destination';
import type { Session } from '../session';

/** Metrics of one session, registered in a registry of their own. */
export class FleetMetrics {
  /** The registry every Flotilla metric is in. */
  readonly registry = new Registry();
  private readonly refreshDuration: Histogram;

  constructor(
    private readonly session: Session,
    private readonly now: () => number = Date.now,
  ) {
    const registers = [this.registry];
    const appInfo = (): ReturnType<FleetMetrics['appInfo']> => this.appInfo();
    const store = (): ReturnType<Session['store']> => session.store();
    new Gauge({
      name: 'argocd_app_info',
      help: 'Information about application.',
      labelNames: ['name', 'namespace', 'project', 'dest_server', 'dest_namespace', 'repo', 'sync_status', 'health_status'],
      registers,
      async collect() {
        this.reset();
        for (const a of await appInfo()) this.set(a, 1);
      },
    });
    new Counter({
      name: 'argocd_app_sync_total',
      help: 'Number of application syncs.',
      labelNames: ['name', 'namespace', 'project', 'dest_server', 'phase'],
      registers,
      async collect() {
        this.reset();
        const apps = new Map((await appInfo()).map((a) => [a.name, a]));
        for (const r of store().counts().syncRuns) {
          const a = apps.get(r.app);
          this.inc({ name: r.app, namespace: a?.namespace ?? 'argocd', project: a?.project ?? '', dest_server: a?.dest_server ?? '', phase: r.phase }, r.count);
        }
      },
    });
    new Gauge({
      name: 'flotilla_drift_seconds',
      help: 'How long an app has been drifted (OutOfSync) on a cluster, in seconds, as of its last observation.',
      labelNames: ['app', 'cluster'],
      registers,
      collect() {
        this.reset();
        const nowMs = now();
        for (const s of store().fleetAt()?.appClusters ?? []) {
          if (s.sync === 'OutOfSync' && s.driftSince) this.set({ app: s.app, cluster: s.cluster }, Math.max(0, (nowMs - Date.parse(s.driftSince)) / 1000));
        }
      },
    });
    this.refreshDuration = new Histogram({
      name: 'flotilla_refresh_duration_seconds',
      help: 'Duration of fleet refreshes (reading the clusters and recording a snapshot), in seconds.',
      labelNames: ['scope'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    new Counter({
      name: 'flotilla_promotions_total',
      help: 'Promotions recorded in the store, by outcome.',
      labelNames: ['outcome'],
      registers,
      collect() {
        this.reset();
        for (const p of store().counts().promotions) this.inc({ outcome: p.result }, p.count);
      },
    });
    new Gauge({
      name: 'flotilla_cluster_up',
      help: 'Whether a fleet cluster answers (1) or not (0), checked at scrape time.',
      labelNames: ['cluster'],
      registers,
      async collect() {
        this.reset();
        const manager = await session.clusterManager();
        await Promise.allSettled(manager.names().map((n) => manager.connection(n).ping()));
        for (const info of manager.infos()) this.set({ cluster: info.cluster }, info.state === 'ready' ? 1 : 0);
      },
    });
  }

  /** Records the duration of one refresh (`scope`: `fleet`, or `partial` for one app or cluster). */
  observeRefresh(seconds: number, scope: 'fleet' | 'partial'): void {
    this.refreshDuration.observe({ scope }, seconds);
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of `text()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  private async appInfo(): Promise<{ name: string; namespace: string; project: string; dest_server: string; dest_namespace: string; repo: string; sync_status: string; health_status: string }[]> {
    const fleet = await this.session.fleet();
    const overview = await fleet.overview();
    const clusters = overview.repo.fleet?.clusters ?? [];
    const recorded = new Map((this.session.store().fleetAt()?.appClusters ?? []).map((s) => [s.app, s]));
    return overview.apps.map((row) => {
      const app = row.application;
      const s = recorded.get(app.metadata.name);
      const cluster = clusterForApp(app, clusters);
      return {
        name: app.metadata.name,
        namespace: app.metadata.namespace ?? 'argocd',
        project: app.spec.project,
        dest_server: app.spec.destination.server ?? cluster?.server ?? '',
        dest_namespace: app.spec.destination.namespace ?? '',
        repo: app.spec.source?.repoURL ?? app.spec.sources?.[0]?.repoURL ?? '',
        sync_status: s?.sync ?? 'Unknown',
        health_status: s?.health.status ?? 'Unknown',
      };
    });
  }
}
