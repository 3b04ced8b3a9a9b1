import type { ApiHandlers } from '../../shared/api/contract';
import { overviewView } from '../../shared/fleet/app-listing';
import { createReportApiHandlers } from '../store/api-handlers';
import { promotionHandlers } from './promotion/promotion-api';
import { validationHandlers } from './validate/validation-api';
import { formatProblem } from '../../shared/problem';
import { syncAppFromGit } from './app-sync';
import { loadKubeconfig } from './cluster/kubeconfig';
import type { Session } from './session';
import type { StatusServiceOptions } from './status-service';
import { StatusService } from './status-service';
import { AppLiveService } from './app-live-service';
import { DesiredVersions } from './desired-versions';
import { clusterDetail } from './cluster-detail';
import { fetchRemote, remoteStatus } from './repo-remote';
import { appAccess } from './rbac/app-access';
import { NotifyService } from './notify/notify-service';

/** The one handler table behind every transport (Electron IPC, the HTTP bridge, in-process calls); `options` go to the status service. */
export function createApiHandlers(session: Session, options: StatusServiceOptions = {}): ApiHandlers {
  const status = new StatusService(session, options);
  const live = new AppLiveService(session);
  const desired = new DesiredVersions(session);
  return {
    ...createReportApiHandlers(() => session.store(), async () => (await session.fleet()).repo.root),
    'fleet:overview': async () => overviewView(await (await session.fleet()).overview()),
    'repo:open': async ({ path }) => {
      const svc = await session.openRepo(path);
      const overview = await svc.overview();
      session.events.emit('repo:changed', { head: overview.repo.head.sha });
      return overviewView(overview);
    },
    'appset:source': async ({ file }) => (await session.fleet()).source(file),
    'appset:preview': async ({ file, text }) => (await session.fleet()).previewAppSet(file, text),
    'appset:save': async ({ file, text }) => (await session.fleet()).save(file, text),
    'fleet:status': () => status.status(),
    'fleet:versions': (ask) => desired.versions(ask),
    'repo:remote-status': async () => remoteStatus((await session.fleet()).repo),
    'repo:fetch': async () => {
      const fleet = await session.fleet();
      const out = await fetchRemote(fleet.repo);
      // What reads the remote branch (Promotions) re-reads, as after any change of the repository.
      session.events.emit('repo:changed', { head: (await fleet.repo.head()).sha });
      return out;
    },
    'fleet:refresh': (req) => status.refresh(req),
    'fleet:cancel': async () => status.cancel(),
    'app:detail': ({ app, cluster }) => status.detail(app, cluster),
    'app:tree': ({ app, cluster }) => live.tree(app, cluster),
    'app:logs': (ask) => live.logs(ask),
    'app:manifest': (req) => live.manifest(req),
    'clusters:list': () => status.clusters(),
    'cluster:detail': ({ cluster }) => clusterDetail(session, cluster),
    'clusters:contexts': async () => loadKubeconfig(session.kubeconfig()).contexts.map((c) => ({ name: c.name, server: c.server })),
    'clusters:save': async (entry) => (await session.fleet()).saveCluster(entry),
    'app:sync': async ({ app, cluster, dryRun, prune }) => {
      const fleet = await session.fleet();
      const kubeconfig = session.kubeconfig();
      const r = await syncAppFromGit(fleet, { app, cluster, dryRun, ...(prune ? { prune } : {}), ...(kubeconfig ? { kubeconfig } : {}) }, dryRun ? undefined : session.store());
      // What the sync changed reaches the grid, the app page and the header through `fleet:updated`, as a live change does.
      if (!dryRun) await status.recordApp(app, cluster);
      return {
        app: r.app,
        cluster: r.cluster,
        phase: r.phase,
        dryRun: r.dryRun,
        resources: r.resources.map((x) => ({
          group: x.group, kind: x.kind, namespace: x.namespace, name: x.name, wave: x.wave, action: x.action, phase: x.phase,
          ...(x.hook ? { hook: true } : {}),
          ...(x.problem ? { message: formatProblem(x.problem) } : x.message ? { message: x.message } : {}),
        })),
        ...(r.message ? { message: r.message } : {}),
      };
    },
    'app:access': ({ app, cluster }) => appAccess(session, app, cluster),
    'notify:history': ({ limit }) => NotifyService.of(session).view(typeof limit === 'number' && limit > 0 ? Math.min(limit, 1000) : 200),
    ...promotionHandlers(session),
    ...validationHandlers(session),
  };
}
