import type { ApiHandlers, AppValidationView } from '../../../shared/api/contract';
import type { PackedFleetFindings } from '../../../shared/validate/findings-pack';
import { packFindings } from '../../../shared/validate/findings-pack';
import { countFindings } from '../../../shared/validate/report';
import { FlotillaError } from '../../../shared/problem';
import type { Session } from '../session';
import { clusterSchemas } from './cluster-schemas';
import type { ValidateOptions } from './validate-service';
import { validateFleet } from './validate-service';

type ValidationChannels = 'app:validate' | 'fleet:validation';

/**
 * The schemas of a cluster the session is already connected to (its /openapi/v3); undefined for one that is not ready,
 * so a page never waits on an unreachable cluster: the bundled schemas of its version are used instead.
 */
function liveSchemas(session: Session): ValidateOptions {
  return {
    clusterSchemas: async (cluster) => {
      // No usable kubeconfig means no connected cluster: the bundled schemas, without a warning.
      const manager = await session.clusterManager().catch(() => undefined);
      if (!manager || manager.infos().find((i) => i.cluster === cluster.name)?.state !== 'ready') return undefined;
      return clusterSchemas(manager.connection(cluster.name));
    },
  };
}

/** The last fleet-wide validation, by HEAD commit: the grid asks often, the answer changes only with the commit. */
let fleetCache: { readonly root: string; readonly sha: string; readonly view: Promise<PackedFleetFindings> } | undefined;

/** The validation channels of the API handler table. */
export function validationHandlers(session: Session): Pick<ApiHandlers, ValidationChannels> {
  return {
    'app:validate': async ({ app, cluster }): Promise<AppValidationView> => {
      const fleet = await session.fleet();
      const { head, scan } = await fleet.discovery();
      const report = await validateFleet(fleet, { app, cluster }, liveSchemas(session));
      const target = report.targets[0];
      if (!target) throw new FlotillaError({ severity: 'error', message: `${app} does not deploy to cluster ${cluster}`, app, cluster });
      const repoURL = scan.fleet.repoURLs.find((u) => /^https?:\/\//.test(u));
      return { ...target, revision: head.sha, ...(repoURL ? { repoURL } : {}) };
    },
    'fleet:validation': async (): Promise<PackedFleetFindings> => {
      const fleet = await session.fleet();
      const { head } = await fleet.discovery();
      if (fleetCache && fleetCache.root === fleet.repo.root && fleetCache.sha === head.sha) return fleetCache.view;
      // Packed once per commit: every later ask (each page load of the grid) sends the same answer.
      const view = validateFleet(fleet, {}, liveSchemas(session)).then((report) => packFindings({
        revision: head.sha,
        cells: report.targets.filter((t) => t.app !== undefined && t.cluster !== undefined).map((t) => {
          const c = countFindings(t.findings);
          return { app: t.app!, cluster: t.cluster!, errors: c.error, warnings: c.warning };
        }),
        problems: report.targets.flatMap((t) => t.problems.filter((p) => p.severity === 'error')),
      }));
      fleetCache = { root: fleet.repo.root, sha: head.sha, view };
      view.catch(() => {
        if (fleetCache?.view === view) fleetCache = undefined;
      });
      return view;
    },
  };
}
