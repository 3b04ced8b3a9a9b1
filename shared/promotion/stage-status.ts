// Where each stage of a pipeline stands now, for the pipeline graph: how many apps are behind the stage they are
// promoted from, and the current verdict of every gate on the way in (freeze windows, approvals, manual-only, and the
// soak of each source Application whose versions would move). Pure: nothing is rendered, so a graph of hundreds of
// apps is cheap; the plan (shared/promotion/plan.ts) renders and decides for real when a promotion is asked for.

import type { ClusterSpec } from '../model/fleet';
import type { FileTree } from '../repo/file-tree';
import type { GateContext, GateResult } from './gates';
import { soakGate, stageGates } from './gates';
import type { PipelineSpec, StageSpec } from './pipeline';
import type { GeneratedApplication } from './plan';
import { indexApplications, overlayDir, soakSubjects, stageClusters } from './plan';
import type { AppVersions } from './versions';

/** One stage of a pipeline as the graph shows it. */
export interface StageStatus {
  readonly stage: string;
  /** Apps whose versions here differ from the stage promoted from (what "Promote all" would move). */
  readonly behind: readonly string[];
  /** The gates on the way into the stage, as they would decide now (no approvals given yet). */
  readonly gates: readonly GateResult[];
}

/** What the stage statuses consult: the pipeline's tree and clusters, the generated Applications, and the gate context. */
export interface StageStatusInput {
  readonly pipeline: PipelineSpec;
  readonly tree: FileTree;
  readonly clusters: readonly ClusterSpec[];
  readonly applications: readonly GeneratedApplication[];
  /** Each app's versions per stage (pipelineVersions), already read. */
  readonly versions: readonly AppVersions[];
  readonly gates: GateContext;
}

/** Every stage's status, in the pipeline's order; the first stage (promoted into from nowhere) has no gates. */
export function stageStatuses(input: StageStatusInput): StageStatus[] {
  const { pipeline } = input;
  const applications = input.applications.filter((a) => pipeline.applicationSet === undefined || a.appset === pipeline.applicationSet);
  const byPath = indexApplications(applications, input.clusters);
  const byName = new Map(pipeline.stages.map((s) => [s.name, s]));
  return pipeline.stages.map((to): StageStatus => {
    const from = to.from !== undefined ? byName.get(to.from) : undefined;
    if (!from) return { stage: to.name, behind: [], gates: [] };
    const behind = input.versions.filter((a) => a.stages.some((s) => s.stage === to.name && s.skew)).map((a) => a.app);
    const gates: GateResult[] = stageGates(to.name, to.gates, input.gates);
    if (to.gates.soakMs !== undefined) gates.push(...soakGates(input, from, to, behind, byPath));
    return { stage: to.name, behind, gates };
  });
}

function soakGates(input: StageStatusInput, from: StageSpec, to: StageSpec, behind: readonly string[], byPath: ReturnType<typeof indexApplications>): GateResult[] {
  const out: GateResult[] = [];
  const fromClusters = stageClusters(from, input.clusters);
  for (const app of behind) {
    const dir = overlayDir(input.pipeline, from, app) ?? '';
    const versions = input.versions.find((a) => a.app === app)?.stages.find((s) => s.stage === from.name)?.versions;
    const subjects = soakSubjects(app, dir, fromClusters, byPath).map((s) => ({ ...s, stage: from.name, ...(versions ? { versions } : {}) }));
    if (subjects.length === 0) {
      out.push({ gate: 'soak', stage: to.name, app, passed: false, reason: `no Application deploys ${dir} to a cluster of stage ${from.name} (${fromClusters.join(', ') || 'none'}): the soak cannot be checked` });
    }
    for (const s of subjects) out.push(soakGate(to.name, to.gates.soakMs!, s, input.gates, to.gates.freshnessMs));
  }
  return out;
}
