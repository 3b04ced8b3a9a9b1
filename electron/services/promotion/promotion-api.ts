import path from 'node:path';
import type { ApiHandlers, PromotionAsk } from '../../../shared/api/contract';
import { pipelinesOverview, stageValidation } from './pipelines-view';
import type { Session } from '../session';
import type { PromoteOptions } from './promotion-service';
import { PromotionService } from './promotion-service';
import { verifyPromotion } from './verify';

type PromotionChannels = 'promotion:pipelines' | 'promotion:stage-validation' | 'promotion:plan' | 'promotion:execute' | 'promotion:history' | 'promotion:rollback' | 'promotion:rollback-plan' | 'promotion:approve';

/** The store file of a session's data folder. */
export function sessionStoreFile(session: Session): string {
  return path.join(session.options.dataDir, 'flotilla.db');
}

/** The promotion service of each session's repository, opened once (two git processes) and kept while it is open. */
const services = new WeakMap<Session, { readonly root: string; readonly service: Promise<PromotionService> }>();

async function service(session: Session): Promise<PromotionService> {
  const root = (await session.fleet()).repo.root;
  let kept = services.get(session);
  if (kept?.root !== root) {
    kept = { root, service: PromotionService.open(root, { storeFile: sessionStoreFile(session) }) };
    services.set(session, kept);
    const mine = kept;
    mine.service.catch(() => {
      if (services.get(session) === mine) services.delete(session);
    });
  }
  return kept.service;
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
    'promotion:pipelines': async () => pipelinesOverview(await service(session)),
    'promotion:stage-validation': async ({ pipeline, stage }) => stageValidation(await service(session), pipeline, stage),
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
