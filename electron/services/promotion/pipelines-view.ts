// The Promotions page's data: each pipeline's stages, versions per app and the gates' verdicts now, read at the
// revision promotions build on (the fetched remote branch), with the user's checkout against it; and the validation
// gate of a stage, which needs the promoted state rendered, asked for on its own so the graph never waits for it.

import type { PipelinesOverview, StageValidationView } from '../../../shared/api/contract';
import { fleetClusters } from '../../../shared/fleet/overview';
import { formatProblem, toProblem } from '../../../shared/problem';
import type { PipelineSpec } from '../../../shared/promotion/pipeline';
import type { GeneratedApplication } from '../../../shared/promotion/plan';
import { stageClusters } from '../../../shared/promotion/plan';
import type { AppVersions } from '../../../shared/promotion/versions';
import { pipelineVersions } from '../../../shared/promotion/versions';
import type { FileTree } from '../../../shared/repo/file-tree';
import type { RepoScan } from '../../../shared/repo/scan';
import { scanRepository } from '../../../shared/repo/scan';
import type { HeadInfo } from '../git-repo';
import type { PromotionService } from './promotion-service';

/** What a revision's pipelines need that depends on the commit alone: read once per commit, not per page load. */
interface AtRevision {
  readonly tree: FileTree;
  readonly scan: RepoScan;
  readonly pipelines: readonly PipelineSpec[];
  readonly problems: readonly string[];
  readonly versions: Map<string, readonly AppVersions[]>;
  applications?: readonly GeneratedApplication[];
}

/** Per repository and commit, the few most recent (a fetch or a promotion moves the revision). */
const atRevision = new Map<string, AtRevision>();
const REVISIONS_KEPT = 4;

function revisionData(svc: PromotionService, revision: string): AtRevision {
  const key = `${svc.repo.root}\u0000${revision}`;
  let d = atRevision.get(key);
  if (!d) {
    const tree = svc.repo.treeAt(revision);
    const scan = scanRepository(tree);
    const { pipelines, problems } = svc.pipelinesAt(tree, scan);
    d = { tree, scan, pipelines, problems, versions: new Map() };
    if (atRevision.size >= REVISIONS_KEPT) atRevision.delete(atRevision.keys().next().value!);
    atRevision.set(key, d);
  }
  return d;
}

/** Where promotions build (the pipelines at HEAD say which remote branch), with HEAD's pipelines read once per commit. */
function promotionBase(svc: PromotionService, head?: HeadInfo): Promise<{ readonly revision: string; readonly ref: string }> {
  return svc.pipelinesRevision((sha) => revisionData(svc, sha).pipelines, head);
}

/** The pipelines at the revision promotions build on, each stage's gates as they decide now, and the checkout against it. */
export async function pipelinesOverview(svc: PromotionService): Promise<PipelinesOverview> {
  // HEAD read once (three git processes) for both the promotion base and the checkout against it.
  const head = await svc.repo.head();
  const at = await promotionBase(svc, head);
  const d = revisionData(svc, at.revision);
  const clusters = fleetClusters(d.scan);
  const checkout = await svc.checkoutAgainst(at.revision, head);
  return {
    pipelines: d.pipelines.map((p) => {
      const key = `${p.file}\u0000${p.name}`;
      let apps = d.versions.get(key);
      if (!apps) d.versions.set(key, (apps = pipelineVersions(p, d.tree)));
      d.applications ??= svc.applicationsAt(at.revision, d.scan);
      // Gates read the clock and the recorded history: decided on every call, over what the commit alone fixes.
      const statuses = new Map(svc.stageStatusesAt(p, at.revision, d.tree, d.scan, apps, d.applications).map((s) => [s.stage, s]));
      return {
        name: p.name,
        file: p.file,
        stages: p.stages.map((s) => ({
          name: s.name,
          ...(s.from !== undefined ? { from: s.from } : {}),
          clusters: stageClusters(s, clusters),
          behind: statuses.get(s.name)?.behind ?? [],
          gates: statuses.get(s.name)?.gates ?? [],
          ...(s.validation ? { validation: s.validation } : {}),
        })),
        apps,
      };
    }),
    problems: d.problems,
    at,
    checkout,
  };
}

/** Validation verdicts per repository, revision, pipeline and stage: rendering every app behind is the costly part. */
const validations = new Map<string, Promise<StageValidationView>>();
const VALIDATIONS_KEPT = 32;

/**
 * The validation gate into a stage now: "Promote all" planned on the fetched revision (nothing fetched, nothing
 * written), its validation verdicts as the plan gives them. Cached per revision: the promoted state of a commit does
 * not change (the cluster's schemas and policies are the repository's, as the plan reads them).
 */
export async function stageValidation(svc: PromotionService, pipeline: string, stage: string): Promise<StageValidationView> {
  const at = await promotionBase(svc);
  const key = `${svc.repo.root}\u0000${at.revision}\u0000${pipeline}\u0000${stage}`;
  let view = validations.get(key);
  if (!view) {
    view = validate(svc, at.revision, pipeline, stage);
    if (validations.size >= VALIDATIONS_KEPT) validations.delete(validations.keys().next().value!);
    validations.set(key, view);
    view.catch(() => validations.delete(key));
  }
  return view;
}

async function validate(svc: PromotionService, revision: string, pipeline: string, stage: string): Promise<StageValidationView> {
  const spec = revisionData(svc, revision).pipelines.find((p) => p.name === pipeline);
  const to = spec?.stages.find((s) => s.name === stage);
  if (!spec || !to?.from) return { pipeline, stage, revision, gates: [], problems: [`no stage ${stage} promoted from another in pipeline ${pipeline}`] };
  try {
    const { plan } = await svc.planFetched({ pipeline, from: to.from, to: stage, apps: 'all', confirmation: 'interactive' });
    return {
      pipeline,
      stage,
      revision,
      gates: plan.gates.filter((g) => g.gate === 'validation'),
      problems: [...plan.problems, ...plan.apps.flatMap((a) => a.problems)].filter((p) => p.severity === 'error').map(formatProblem),
    };
  } catch (err) {
    return { pipeline, stage, revision, gates: [], problems: [formatProblem(toProblem(err))] };
  }
}
