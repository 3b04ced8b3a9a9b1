// The commit message of a promotion: a subject, the moves, and structured trailers that history and rollback read back.

import type { PromotionPlan } from './plan';
import { planVersions } from './plan';

/** The trailer keys of a promotion commit. */
export const TRAILERS = {
  from: 'Flotilla-Promotion-From',
  to: 'Flotilla-Promotion-To',
  apps: 'Flotilla-Promotion-Apps',
  versions: 'Flotilla-Promotion-Versions',
  pipeline: 'Flotilla-Promotion-Pipeline',
  rollbackOf: 'Flotilla-Promotion-Rollback-Of',
} as const;

/** The promotion a commit message describes, read from its trailers. */
export interface PromotionTrailers {
  readonly from: string;
  readonly to: string;
  readonly apps: readonly string[];
  readonly versions: readonly string[];
  readonly pipeline?: string;
  readonly rollbackOf?: string;
}

/** Apps of a plan that change. */
export function changedApps(plan: PromotionPlan): string[] {
  return plan.apps.filter((a) => a.edits.length > 0).map((a) => a.app);
}

/** The commit message of a promotion plan. */
export function promotionMessage(plan: PromotionPlan): string {
  const apps = changedApps(plan);
  const subject = `Promote ${apps.length === 1 ? apps[0] : `${apps.length} apps`} from ${plan.from} to ${plan.to}`;
  const body = plan.apps.flatMap((a) => a.moves.map((m) => `- ${a.app}: ${m.kind} ${m.kind === 'image' ? '' : `${m.name} `}${m.from ?? '(unset)'} -> ${m.to}`));
  const trailers = [
    `${TRAILERS.pipeline}: ${plan.pipeline}`,
    `${TRAILERS.from}: ${plan.from}`,
    `${TRAILERS.to}: ${plan.to}`,
    `${TRAILERS.apps}: ${apps.join(', ')}`,
    `${TRAILERS.versions}: ${planVersions(plan).join(', ')}`,
  ];
  return `${subject}\n\n${body.join('\n')}\n\n${trailers.join('\n')}\n`;
}

/** The message of a commit that reverts a promotion commit. */
export function rollbackMessage(original: PromotionTrailers, commit: string, id: string): string {
  return [
    `Roll back promotion ${id} of ${original.apps.join(', ')} to ${original.to}`,
    '',
    `This reverts commit ${commit}.`,
    '',
    ...(original.pipeline ? [`${TRAILERS.pipeline}: ${original.pipeline}`] : []),
    `${TRAILERS.from}: ${original.to}`,
    `${TRAILERS.to}: ${original.to}`,
    `${TRAILERS.apps}: ${original.apps.join(', ')}`,
    `${TRAILERS.versions}: ${original.versions.join(', ')}`,
    `${TRAILERS.rollbackOf}: ${id}`,
    '',
  ].join('\n');
}

/** Reads the promotion trailers of a commit message; undefined when it is not a promotion commit. */
export function parsePromotionTrailers(message: string): PromotionTrailers | undefined {
  const get = (key: string): string | undefined => {
    const m = new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(message);
    return m ? m[1]!.trim() : undefined;
  };
  const from = get(TRAILERS.from);
  const to = get(TRAILERS.to);
  if (from === undefined || to === undefined) return undefined;
  const list = (v: string | undefined): string[] => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);
  const pipeline = get(TRAILERS.pipeline);
  const rollbackOf = get(TRAILERS.rollbackOf);
  return { from, to, apps: list(get(TRAILERS.apps)), versions: list(get(TRAILERS.versions)), ...(pipeline ? { pipeline } : {}), ...(rollbackOf ? { rollbackOf } : {}) };
}
