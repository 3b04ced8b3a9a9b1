// What a promotion plan reads besides the tree at its base, and what a pushed promotion writes back: the versions a
// stage had at a recorded revision (git objects), the recorded history the soak gate reads, and the promotion events
// of the app × cluster history (the store).

import type { PipelineSpec } from '../../../shared/promotion/pipeline';
import type { PromotionPlan } from '../../../shared/promotion/plan';
import type { AppVersions } from '../../../shared/promotion/versions';
import { stageVersions } from '../../../shared/promotion/versions';
import type { TimelineEntry } from '../../../shared/report/model';
import { FleetStore } from '../../store/fleet-store';
import type { GitRepository } from '../git-repo';

/**
 * The versions an app had in a stage at a recorded revision, read from git objects. A commit's versions never change:
 * they are kept across calls (per repository, commit and pipeline), and those of the revision being shown are the ones
 * already read for it (`known`), so a graph of 300 apps reads no blob twice.
 */
export function versionsReader(repo: GitRepository, pipeline: PipelineSpec, known?: { readonly revision: string; readonly versions: readonly AppVersions[] }): (revision: string, app: string, stage: string) => readonly string[] | undefined {
  // One `git rev-parse` per revision, not per app and stage: a graph of 300 apps asks for the same few revisions. A
  // commit found stays found (kept across calls, per repository); one not found is asked again next time (a fetch may
  // bring it).
  const shas = new Map<string, string | undefined>();
  const shaOf = (revision: string): string | undefined => {
    const known = resolvedMemo.get(`${repo.root}\u0000${revision}`);
    if (known) return known;
    if (!shas.has(revision)) {
      const sha = /^[0-9a-f]{7,40}$/.test(revision) ? repo.resolve(revision) : undefined;
      shas.set(revision, sha);
      if (sha && revision.length === 40) {
        if (resolvedMemo.size >= RESOLVED_KEPT) resolvedMemo.delete(resolvedMemo.keys().next().value!);
        resolvedMemo.set(`${repo.root}\u0000${revision}`, sha);
      }
    }
    return shas.get(revision);
  };
  const spec = `${repo.root}\u0000${JSON.stringify(pipeline)}`;
  const seeded = known ? new Map(known.versions.map((a) => [a.app, a])) : undefined;
  return (revision, app, stage) => {
    const sha = shaOf(revision);
    if (!sha) return undefined;
    const key = `${spec}\u0000${sha}\u0000${app}\u0000${stage}`;
    if (!stageVersionsMemo.has(key)) {
      const seen = sha === known?.revision ? seeded?.get(app)?.stages.find((s) => s.stage === stage) : undefined;
      // An app with no overlay in the stage has no versions there (undefined), as stageVersions says.
      const versions = seen ? seen.versions : stageVersions(pipeline, repo.treeAt(sha), app, stage);
      if (stageVersionsMemo.size >= STAGE_VERSIONS_KEPT) stageVersionsMemo.delete(stageVersionsMemo.keys().next().value!);
      stageVersionsMemo.set(key, versions);
    }
    return stageVersionsMemo.get(key);
  };
}

/** Full commit ids found in a repository (`root\0sha` → sha): a commit that exists keeps existing. */
const resolvedMemo = new Map<string, string>();
const RESOLVED_KEPT = 10_000;

/** Versions per repository, commit, pipeline, app and stage (immutable: a commit's files never change), oldest dropped first. */
const stageVersionsMemo = new Map<string, readonly string[] | undefined>();
const STAGE_VERSIONS_KEPT = 50_000;

/**
 * The recorded timeline of an Application on a cluster, from the store (undefined when the store cannot be opened);
 * close it after. Made for many lookups in a row (a soak gate per app behind, on every pipeline graph drawn): the
 * timelines read are kept per store until a snapshot is recorded or compacted, so a graph drawn again reads none.
 */
export function historyReader(storeFile: string): { read: (application: string, cluster: string) => readonly TimelineEntry[] | undefined; close: () => void } | undefined {
  let store: FleetStore;
  try {
    store = FleetStore.open(storeFile);
  } catch {
    return undefined;
  }
  try {
    const generation = store.timelineGeneration();
    let kept = timelinesKept.get(storeFile);
    if (kept?.generation !== generation) {
      kept = { generation, timelines: new Map() };
      timelinesKept.delete(storeFile);
      if (timelinesKept.size >= STORES_KEPT) timelinesKept.delete(timelinesKept.keys().next().value!);
      timelinesKept.set(storeFile, kept);
    }
    const { timelines } = kept;
    let reader: ReturnType<FleetStore['timelineReader']> | undefined;
    return {
      read: (application, cluster) => {
        const key = `${application}\u0000${cluster}`;
        if (!timelines.has(key)) timelines.set(key, (reader ??= store.timelineReader())(application, cluster));
        return timelines.get(key);
      },
      close: () => store.close(),
    };
  } catch (err) {
    store.close();
    throw err;
  }
}

/** Timelines read per store file, with the store's generation they were read at (see `FleetStore.timelineGeneration`). */
const timelinesKept = new Map<string, { readonly generation: string; readonly timelines: Map<string, readonly TimelineEntry[] | undefined> }>();
const STORES_KEPT = 4;

/** Records a pushed promotion as an event of each changed app on each target cluster. */
export function recordPromotionEvents(storeFile: string, plan: PromotionPlan, commit: string, by: string, now: number): void {
  let store: FleetStore | undefined;
  try {
    store = FleetStore.open(storeFile);
    for (const a of plan.apps) {
      if (a.edits.length === 0) continue;
      for (const c of a.clusters) {
        store.recordPromotion({
          app: c.application ?? a.app, cluster: c.cluster, at: new Date(now).toISOString(),
          detail: { revision: commit, from: plan.from, to: plan.to, pipeline: plan.pipeline, by, message: a.moves.map((m) => `${m.name} ${m.from ?? '(unset)'} -> ${m.to}`).join('; ') },
        });
      }
    }
  } finally {
    store?.close();
  }
}
