// What each stage runs, per app, as its overlay says: the pipeline view's data (versions and skew between stages).

import type { FileTree } from '../repo/file-tree';
import { joinPath } from '../repo/paths';
import type { PipelineSpec } from './pipeline';
import { kustomizationFile, overlayDir, pipelineApps } from './plan';
import { parseForEdit, resolveYamlPath } from './yaml-path';

/** One app's versions in one stage; `skew` when they differ from the stage it is promoted from. */
export interface StageVersions {
  readonly stage: string;
  /** `image:tag`, `path=value` and `url@ref` entries; absent when the app has no overlay in the stage. */
  readonly versions?: readonly string[];
  readonly skew: boolean;
}

/** One app across the stages of a pipeline. */
export interface AppVersions {
  readonly app: string;
  readonly stages: readonly StageVersions[];
}

/** The versions of every app in every stage of a pipeline, read from the overlays. */
export function pipelineVersions(pipeline: PipelineSpec, tree: FileTree): AppVersions[] {
  const apps = new Set<string>();
  for (const s of pipeline.stages) for (const a of pipelineApps(pipeline, s, tree)) apps.add(a);
  return [...apps].sort().map((app) => {
    const byStage = new Map<string, readonly string[] | undefined>();
    for (const s of pipeline.stages) byStage.set(s.name, stageVersions(pipeline, tree, app, s.name));
    return {
      app,
      stages: pipeline.stages.map((s) => {
        const v = byStage.get(s.name);
        const from = s.from !== undefined ? byStage.get(s.from) : undefined;
        return { stage: s.name, ...(v ? { versions: v } : {}), skew: v !== undefined && from !== undefined && v.join('\n') !== from.join('\n') };
      }),
    };
  });
}

/** One app's versions in one stage of a tree (what a promotion moves), or undefined when it has no overlay there. */
export function stageVersions(pipeline: PipelineSpec, tree: FileTree, app: string, stageName: string): string[] | undefined {
  const stage = pipeline.stages.find((s) => s.name === stageName);
  if (!stage) return undefined;
  const dir = overlayDir(pipeline, stage, app);
  if (dir === undefined || tree.kind(dir) !== 'dir') return undefined;
  const out: string[] = [];
  const kfile = kustomizationFile(tree, dir);
  const k = kfile ? parseForEdit(tree.read(kfile) ?? '', kfile).doc?.toJS() : undefined;
  if (pipeline.promote.images !== false && isObj(k) && Array.isArray(k.images)) {
    for (const i of k.images) {
      if (!isObj(i) || typeof i.name !== 'string') continue;
      if (Array.isArray(pipeline.promote.images) && !pipeline.promote.images.includes(i.name)) continue;
      out.push(`${i.newName ?? i.name}${i.newTag !== undefined ? `:${String(i.newTag)}` : ''}${i.digest !== undefined ? `@${String(i.digest)}` : ''}`);
    }
  }
  if (pipeline.promote.revision && isObj(k)) {
    for (const f of ['resources', 'components']) {
      const list = k[f];
      if (Array.isArray(list)) for (const r of list) if (typeof r === 'string' && /[?&]ref=/.test(r)) out.push(r);
    }
  }
  for (const p of pipeline.promote.paths) {
    const file = joinPath(dir, p.file);
    const doc = file ? parseForEdit(tree.read(file) ?? '', file).doc : undefined;
    const at = doc ? resolveYamlPath(doc, p.path) : undefined;
    const v = at && doc ? doc.getIn(at) : undefined;
    if (v !== undefined && (typeof v !== 'object' || v === null)) out.push(`${p.source}=${String(v)}`);
  }
  return out;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
