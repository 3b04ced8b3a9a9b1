import path from 'node:path';
import type { ApiHandlers, PipelinesOverview, PromotionAsk } from '../../../shared/api/contract';
import { stageClusters } from '../../../shared/promotion/plan';
import { fleetClusters } from '../../../shared/fleet/overview';
import { scanRepository } from '../../../shared/repo/scan';
import type { PipelineSpec } from '../../../shared/promotion/pipeline';
import type { AppVersions } from '../../../shared/promotion/versions';
import { pipelineVersions } from '../../../shared/promotion/versions';
import type { FileTree } from '../../../shared/repo/file-tree';
import type { Session } from '../session';
import type { PromoteOptions } from './promotion-service';
import { PromotionService } from './promotion-service';
import { verifyPromotion } from './verify';

type PromotionChannels = 'promotion:pipelines' | 'promotion:plan' | 'promotion:execute' | 'promotion:history' | 'promotion:rollback' | 'promotion:rollback-plan' | 'promotion:approve';

/** Each pipeline's versions per app and stage by commit: a pure function of the tree, so read once per commit. */
const versionsCache = new Map<string, readonly AppVersions[]>();
const VERSIONS_CACHED = 8;

function versionsOf(revision: string, pipeline: PipelineSpec, tree: FileTree): readonly AppVersions[] {
  const key = `${revision}\u0000${pipeline.file}\u0000${pipeline.name}`;
  let v = versionsCache.get(key);
  if (!v) {
    v = pipelineVersions(pipeline, tree);
    if (versionsCache.size >= VERSIONS_CACHED) versionsCache.delete(versionsCache.keys().next().value!);
    versionsCache.set(key, v);
  }
  return v;
}

/** The store file of a session's data folder. */
export function sessionStoreFile(session: Session): string {
  return path.join(session.options.dataDir, 'flotilla.db');
}

async function service(session: Session): Promise<PromotionService> {
  return PromotionService.open((await session.fleet()).repo.root, { storeFile: sessionStoreFile(session) });
}

function options(req: PromotionAsk): PromoteOptions {
  return {
    from: req.from, to: req.to, apps: req.apps, confirmation: 'interactive',
    ...(req.pipeline !== undefined ? { pipeline: req.pipeline } : {}),
    ...(req.images ? { images: req.images } : {}),
  };
}

/** The promotion channels of the API handler table. */
export function promotionHandlers(session: Session): Pick<ApiHandlers, PromotionChannels> {
  return {
    'promotion:pipelines': async (): Promise<PipelinesOverview> => {
      const svc = await service(session);
      const at = await svc.pipelinesRevision();
      const tree = svc.repo.treeAt(at.revision);
      const scan = scanRepository(tree);
      const { pipelines, problems } = svc.pipelinesAt(tree, scan);
      const clusters = fleetClusters(scan);
      return {
        pipelines: pipelines.map((p) => {
          const apps = versionsOf(at.revision, p, tree);
          const statuses = new Map(svc.stageStatusesAt(p, at.revision, tree, scan, apps).map((s) => [s.stage, s]));
          return {
            name: p.name,
            file: p.file,
            stages: p.stages.map((s) => ({
              name: s.name,
              ...(s.from !== undefined ? { from: s.from } : {}),
              clusters: stageClusters(s, clusters),
              behind: statuses.get(s.name)?.behind ?? [],
              gates: statuses.get(s.name)?.gates ?? [],
            })),
            apps,
          };
        }),
        problems,
        at,
      };
    },
    'promotion:plan': async (req) => (await service(session)).plan({ ...options(req), ...(req.live ? { live: { kubeconfig: session.kubeconfig() } } : {}) }),
    'promotion:execute': async (req) => {
      const svc = await service(session);
      const out = await svc.execute(options(req));
      if (out.record.commit) session.events.emit('repo:changed', { head: out.record.commit });
      if (out.record.result === 'failed') session.events.emit('promotion:outcome', { id: out.record.id, result: 'failed', message: out.record.message ?? 'the promotion failed' });
      if (out.record.result === 'pushed') {
        // Afterwards the target is watched until Synced and Healthy at the new revision (or the timeout): the
        // outcome is pushed to the UIs and, when opted in, to a desktop notification.
        const kubeconfig = session.kubeconfig();
        const stop = new AbortController();
        session.onClose(() => stop.abort());
        void verifyPromotion(svc, out.record.id, { signal: stop.signal, ...(kubeconfig ? { kubeconfig } : {}) }).then(
          (r) => session.events.emit('promotion:outcome', { id: r.id, result: r.result === 'verified' ? 'verified' : 'verify-failed', message: r.message ?? '' }),
          (err: unknown) => session.events.emit('promotion:outcome', { id: out.record.id, result: 'verify-failed', message: err instanceof Error ? err.message : String(err) }),
        );
      }
      return { record: out.record, blockers: out.blockers };
    },
    'promotion:history': async ({ limit }) => (await service(session)).history(limit ?? 100),
    'promotion:rollback': async ({ id }) => {
      // The UI's Confirm rollback is a person's confirmation, as its Confirm promotion is.
      const out = await (await service(session)).rollback(id, { confirmation: 'interactive' });
      return { record: out.record, blockers: out.blockers };
    },
    'promotion:rollback-plan': async ({ id }) => (await service(session)).planRollback(id, { confirmation: 'interactive' }),
    'promotion:approve': async (req) => {
      const svc = await service(session);
      const { approval } =
        req.rollback !== undefined
          ? await svc.approveRollback(req.rollback, { digest: req.digest })
          : req.promotion
            ? await svc.approve({ ...options(req.promotion), digest: req.digest })
            : (() => {
                throw new Error('promotion:approve needs a promotion or a rollback');
              })();
      return { commit: approval.commit, remote: approval.remote, subject: approval.subject, signature: approval.signature };
    },
  };
}
