import type { AppRow } from '../api/contract';
import type { GitReader } from '../appset/engine';
import type { AppProjectSpec } from './app-project';
import { appRefusals } from './discover';
import type { RenderedApp, RenderOptions } from './render-apps';
import { renderApplication } from './render-apps';

/** What rendering one app of the fleet needs of its row: its name, its Application and what discovery found wrong. */
export type RenderRow = Pick<AppRow, 'name' | 'application' | 'problems'>;

/**
 * Renders one app of the fleet for its cluster, as `render --app` and `render --all` do: what its AppProject forbids
 * is refused, as Argo CD refuses to sync it (reported as errors: the app counts as failed).
 */
export function renderFleetApp(row: RenderRow, git: GitReader, opts: RenderOptions, projects: ReadonlyMap<string, AppProjectSpec>): RenderedApp {
  const rendered = renderApplication(row.application, git, opts);
  const refused = failedRender(rendered) ? [] : appRefusals({ projects }, row, rendered.objects, opts.clusters);
  return { ...rendered, app: row.name, problems: refused.length === 0 ? rendered.problems : [...rendered.problems, ...refused] };
}

/** Whether a rendered app failed (any error): it has no objects and is not written. */
export function failedRender(r: Pick<RenderedApp, 'problems'>): boolean {
  return r.problems.some((p) => p.severity === 'error');
}
