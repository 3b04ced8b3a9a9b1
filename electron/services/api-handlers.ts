import type { ApiHandlers } from '../../shared/api/contract';
import { createReportApiHandlers } from '../store/api-handlers';
import { promotionHandlers } from './promotion/promotion-api';
import type { Session } from './session';

/** The one handler table behind every transport (Electron IPC, the HTTP bridge, in-process calls). */
export function createApiHandlers(session: Session): ApiHandlers {
  return {
    ...createReportApiHandlers(() => session.store()),
    'fleet:overview': async () => (await session.fleet()).overview(),
    'repo:open': async ({ path }) => {
      const svc = await session.openRepo(path);
      const overview = await svc.overview();
      session.events.emit('repo:changed', { head: overview.repo.head.sha });
      return overview;
    },
    'appset:source': async ({ file }) => (await session.fleet()).source(file),
    'appset:preview': async ({ file, text }) => (await session.fleet()).previewAppSet(file, text),
    'appset:save': async ({ file, text }) => (await session.fleet()).save(file, text),
    ...promotionHandlers(session),
  };
}
