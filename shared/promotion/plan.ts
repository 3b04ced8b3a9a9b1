// Planning a promotion: the minimal edits of the target stage's overlay files that carry the source stage's versions
// over, the target stage rendered with those edits and diffed per cluster against its current desired state, and the
// gates with their verdicts. Pure: the Node side supplies the tree, the generated Applications and the history.

import { validatePromoted, validationGates } from './plan-validation';
import { isScalar } from 'yaml';
import type { Application } from '../model/application';
import type { KubeObject } from '../model/status';
import type { ClusterSpec } from '../model/fleet';
import { unifiedDiff } from '../diff/line-diff';
import { clusterForApp } from '../fleet/destination';
import type { RenderOptions } from '../fleet/render-apps';
import { renderApplication } from '../fleet/render-apps';
import { fluxIdentity } from '../flux/owner';
import { fluxSpecOf } from '../sources/flux-source';
import type { Problem } from '../problem';
import { formatProblem, problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import { walkFiles } from '../repo/file-tree';
import { joinPath, normalizePath } from '../repo/paths';
import type { GateResult, SoakSubject } from './gates';
import { soakGate, stageGates } from './gates';
import { promotionDigest } from './digest';
import { OverlayFileTree } from './overlay-tree';
import { diffObjects, fluxChildDiffs } from './rendered-diff';
import type { AppPlan, ClusterDiff, FileEdit, GeneratedApplication, PlanInput, PromotionMove, PromotionPlan, ResourceChange } from './plan-types';
import { imageEntries, planImages, planRevisions } from './plan-moves';

export { diffObjects };
export type { PromotionRequest, GeneratedApplication, PlanInput, PromotionMove, FileEdit, ResourceChange, ClusterDiff, AppPlan, PromotionPlan } from './plan-types';
import type { PipelineSpec, StageSpec } from './pipeline';
import { DEFAULT_OVERLAY_PATH } from './pipeline';
import type { YamlScalar, YamlSet } from './yaml-path';
import { stageVersions } from './versions';
import { editYaml, lineOf, parseForEdit, resolveYamlPath } from './yaml-path';

/** The overlay folder of an app in a stage. */
export function overlayDir(pipeline: PipelineSpec, stage: StageSpec, app: string): string | undefined {
  const tpl = pipeline.apps?.find((a) => a.name === app)?.overlayPath ?? stage.overlayPath ?? pipeline.overlayPath ?? DEFAULT_OVERLAY_PATH;
  return normalizePath(tpl.replaceAll('{{app}}', app).replaceAll('{{stage}}', stage.name));
}

/** The clusters of a stage: those it names, else the fleet clusters whose environment is the stage's name. */
export function stageClusters(stage: StageSpec, clusters: readonly ClusterSpec[]): string[] {
  return stage.clusters ? [...stage.clusters] : clusters.filter((c) => c.environment === stage.name).map((c) => c.name);
}

/** The pipeline's apps: those it lists, else every folder that matches the overlay template in `stage`. */
export function pipelineApps(pipeline: PipelineSpec, stage: StageSpec, tree: FileTree): string[] {
  if (pipeline.apps) return pipeline.apps.map((a) => a.name);
  const tpl = (stage.overlayPath ?? pipeline.overlayPath).replaceAll('{{stage}}', stage.name);
  const i = tpl.indexOf('{{app}}');
  if (i < 0) return [];
  const prefix = tpl.slice(0, i);
  const found = new Set<string>();
  if ((prefix === '' || prefix.endsWith('/')) && /^(\/|$)/.test(tpl.slice(i + 7))) {
    for (const e of tree.list(prefix.replace(/\/$/, '')) ?? []) {
      if (e.kind === 'dir' && !e.name.startsWith('.')) {
        const dir = normalizePath(tpl.replaceAll('{{app}}', e.name));
        if (dir !== undefined && tree.kind(dir) === 'dir') found.add(e.name);
      }
    }
  } else {
    const re = new RegExp('^' + tpl.split('{{app}}').map(escapeRe).join('([^/]+)') + '/');
    for (const f of walkFiles(tree)) {
      const m = re.exec(f);
      if (m?.[1]) found.add(m[1]);
    }
  }
  return [...found].sort();
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The kustomization file of an overlay folder, when there is one. */
export function kustomizationFile(tree: FileTree, dir: string): string | undefined {
  for (const n of KUSTOMIZATION_NAMES) {
    const p = joinPath(dir, n);
    if (p !== undefined && tree.kind(p) === 'file') return p;
  }
  return undefined;
}

/** Plans a promotion. One app that cannot be planned (a missing overlay, a broken file) never stops the others. */
export function planPromotion(input: PlanInput): PromotionPlan {
  const { pipeline, request } = input;
  const base = { pipeline: pipeline.name, from: request.from, to: request.to, ...(input.tree.revision ? { revision: input.tree.revision } : {}) };
  const fail = (message: string): PromotionPlan => ({ ...base, apps: [], gates: [], problems: [problem(message, { file: pipeline.file, line: pipeline.line })], noop: false, ready: false });
  const known = pipeline.stages.map((s) => s.name).join(', ');
  const from = pipeline.stages.find((s) => s.name === request.from);
  const to = pipeline.stages.find((s) => s.name === request.to);
  if (!from) return fail(`unknown stage "${request.from}" in pipeline ${pipeline.name} (stages: ${known})`);
  if (!to) return fail(`unknown stage "${request.to}" in pipeline ${pipeline.name} (stages: ${known})`);
  if (to.from !== request.from) {
    return fail(to.from ? `stage ${to.name} is promoted from ${to.from}, not from ${from.name}` : `stage ${to.name} is the first stage of pipeline ${pipeline.name}: nothing is promoted into it`);
  }

  const all = pipelineApps(pipeline, from, input.tree);
  const problems: Problem[] = [];
  let selected: string[];
  if (request.apps === 'all') selected = all;
  else {
    selected = [];
    for (const a of request.apps) {
      if (all.includes(a)) selected.push(a);
      else problems.push(problem(`unknown app "${a}" in pipeline ${pipeline.name} at stage ${from.name} (apps: ${all.join(', ') || 'none'})`, { file: pipeline.file, line: pipeline.line }));
    }
  }
  if (selected.length === 0 && problems.length === 0) problems.push(problem(`no app of pipeline ${pipeline.name} has an overlay in stage ${from.name}`, { file: pipeline.file, line: pipeline.line }));

  const fromClusters = stageClusters(from, input.clusters);
  const toClusters = stageClusters(to, input.clusters);
  const applications = (input.applications ?? []).filter((a) => pipeline.applicationSet === undefined || a.appset === pipeline.applicationSet);
  const byPath = indexApplications(applications, input.clusters);

  const apps: AppPlan[] = [];
  const soak: GateResult[] = [];
  for (const app of selected) {
    const plan = planApp(input, app, from, to, toClusters, byPath);
    apps.push(plan);
    if (to.gates.soakMs !== undefined && plan.moves.length > 0) {
      const versions = stageVersions(pipeline, input.tree, app, from.name);
      const subjects = soakSubjects(app, plan.sourceDir, fromClusters, byPath).map((s) => ({ ...s, stage: from.name, ...(versions ? { versions } : {}) }));
      if (subjects.length === 0) {
        soak.push({ gate: 'soak', stage: to.name, app, passed: false, reason: `no Application deploys ${plan.sourceDir} to a cluster of stage ${from.name} (${fromClusters.join(', ') || 'none'}): the soak cannot be checked` });
      }
      for (const s of subjects) soak.push(soakGate(to.name, to.gates.soakMs, s, input.gates, to.gates.freshnessMs));
    }
  }
  // The stage-wide gates come after the apps: an approval counts only when it names this plan's digest.
  const digest = promotionDigest({ ...base, apps });
  const gates: GateResult[] = [...stageGates(to.name, to.gates, input.gates, { kind: 'promotion', pipeline: pipeline.name, digest }), ...soak];
  if (to.validation) gates.push(...validationGates(to.name, to.validation, apps));
  const hasError = [...problems, ...apps.flatMap((a) => [...a.problems, ...a.clusters.flatMap((c) => c.problems)])].some((p) => p.severity === 'error');
  const noop = !hasError && apps.every((a) => a.edits.length === 0);
  return { ...base, apps, gates, problems, noop, digest, ready: !hasError && !noop && gates.every((g) => g.passed) };
}

/** The Applications that deploy each source path, with their fleet cluster. */
export type AppIndex = Map<string, { application: Application; cluster: string | undefined }[]>;

/** Indexes Applications by the source paths they deploy (chart sources left out). */
export function indexApplications(applications: readonly GeneratedApplication[], clusters: readonly ClusterSpec[]): AppIndex {
  const out: AppIndex = new Map();
  for (const { application } of applications) {
    // A Flux Kustomization deploys its spec.path: that folder is its overlay.
    const fluxPath = fluxKustomizationPath(application);
    if (fluxPath !== undefined) {
      out.set(fluxPath, [...(out.get(fluxPath) ?? []), { application, cluster: clusterForApp(application, clusters)?.name }]);
      continue;
    }
    const sources = application.spec.sources ?? (application.spec.source ? [application.spec.source] : []);
    for (const s of sources) {
      const p = normalizePath(s.path ?? '');
      if (p === undefined || s.chart) continue;
      const list = out.get(p) ?? [];
      list.push({ application, cluster: clusterForApp(application, clusters)?.name });
      out.set(p, list);
    }
  }
  return out;
}

/** The folder a Flux Kustomization app builds (`spec.path`, `./` dropped), when the app is one. */
function fluxKustomizationPath(application: Application): string | undefined {
  const spec = application.spec.source ? fluxSpecOf(application.spec.source) : undefined;
  if (spec?.kind !== 'Kustomization') return undefined;
  const path = (spec.object['spec'] as Record<string, unknown> | undefined)?.['path'];
  return normalizePath(typeof path === 'string' ? path.replace(/^\.\/?/, '') : '');
}

/** The Applications of a stage's clusters that deploy `dir`: what a soak gate looks at. */
export function soakSubjects(app: string, dir: string, clusters: readonly string[], byPath: AppIndex): SoakSubject[] {
  return (byPath.get(dir) ?? []).filter((a) => a.cluster !== undefined && clusters.includes(a.cluster)).map((a) => ({ app, application: a.application.metadata.name, cluster: a.cluster! }));
}

function planApp(input: PlanInput, app: string, from: StageSpec, to: StageSpec, toClusters: readonly string[], byPath: AppIndex): AppPlan {
  const { pipeline, tree } = input;
  const sourceDir = overlayDir(pipeline, from, app) ?? '';
  const targetDir = overlayDir(pipeline, to, app) ?? '';
  const problems: Problem[] = [];
  const empty = (): AppPlan => ({ app, sourceDir, targetDir, moves: [], edits: [], clusters: [], problems });
  if (tree.kind(sourceDir) !== 'dir') {
    problems.push(problem(`the overlay of ${app} in stage ${from.name} does not exist: ${sourceDir}`, { app, file: sourceDir }));
    return empty();
  }
  if (tree.kind(targetDir) !== 'dir') {
    problems.push(problem(`the overlay of ${app} in stage ${to.name} does not exist: ${targetDir} (create it once by hand; promotions then edit it)`, { app, file: targetDir }));
    return empty();
  }
  const moves: PromotionMove[] = [];
  const setsByFile = new Map<string, YamlSet[]>();
  // Target documents parsed once: planning reads them, then the edits are made on the same documents.
  const docs = new Map<string, ReturnType<typeof parseForEdit>>();
  const parseTarget = (file: string, text: string): ReturnType<typeof parseForEdit> => {
    const seen = docs.get(file);
    // Problems are reported by the first reader only.
    if (seen) return { ...(seen.doc ? { doc: seen.doc } : {}), problems: [] };
    const d = parseForEdit(text, file);
    docs.set(file, d);
    return d;
  };
  const addSet = (file: string, set: YamlSet): void => void setsByFile.set(file, [...(setsByFile.get(file) ?? []), set]);
  const { promote } = pipeline;

  if (promote.images !== false || promote.revision) {
    const srcFile = kustomizationFile(tree, sourceDir);
    const tgtFile = kustomizationFile(tree, targetDir);
    if (!srcFile || !tgtFile) problems.push(problem(`no kustomization file in ${srcFile ? targetDir : sourceDir}`, { app, file: srcFile ? targetDir : sourceDir }));
    else {
      const src = parseForEdit(tree.read(srcFile) ?? '', srcFile);
      const tgtText = tree.read(tgtFile) ?? '';
      const tgt = parseTarget(tgtFile, tgtText);
      problems.push(...src.problems.map((p) => ({ ...p, app })), ...tgt.problems.map((p) => ({ ...p, app })));
      if (src.doc && tgt.doc) {
        const srcJs = src.doc.toJS() as unknown;
        const tgtJs = tgt.doc.toJS() as unknown;
        if (promote.images !== false) planImages(app, srcFile, srcJs, tgtFile, tgtText, tgtJs, tgt.doc, promote.images, input.request.images, moves, addSet, problems);
        if (promote.images !== false && imageEntries(srcJs).length === 0 && !promote.revision && promote.paths.length === 0) {
          // "Nothing to promote" would claim the stages run the same versions, which nobody checked.
          problems.push({
            ...problem(
              `${srcFile} has no kustomization \`images:\` entries, and promote.images moves only those: Flotilla cannot see which versions ${app} runs in ${from.name}, so nothing can be promoted even if the stages differ (an image set in a patch or the base is not promoted). ` +
                `Add an \`images:\` entry (name and newTag) to the ${from.name} and ${to.name} overlays, or promote the field that holds the version with promote.paths.`,
              { app, file: srcFile },
            ),
            severity: 'warning',
          });
        }
        if (promote.revision) planRevisions(srcJs, tgtFile, tgtText, tgt.doc, moves, addSet);
      }
    }
  }
  for (const p of promote.paths) {
    const srcFile = joinPath(sourceDir, p.file);
    const tgtFile = joinPath(targetDir, p.file);
    if (!srcFile || !tgtFile) {
      problems.push(problem(`promoted path file ${p.file} leaves the overlay folder`, { app, file: pipeline.file }));
      continue;
    }
    const srcText = tree.read(srcFile);
    const tgtText = tree.read(tgtFile);
    if (srcText === undefined || tgtText === undefined) {
      problems.push(problem(`${p.source}: no file ${srcText === undefined ? srcFile : tgtFile}`, { app, file: srcText === undefined ? srcFile : tgtFile }));
      continue;
    }
    const src = parseForEdit(srcText, srcFile);
    const tgt = parseTarget(tgtFile, tgtText);
    problems.push(...src.problems.map((x) => ({ ...x, app })), ...tgt.problems.map((x) => ({ ...x, app })));
    if (!src.doc || !tgt.doc) continue;
    const srcPath = resolveYamlPath(src.doc, p.path);
    const srcNode = srcPath ? src.doc.getIn(srcPath, true) : undefined;
    if (!isScalar(srcNode)) {
      problems.push(problem(`${p.source}: ${srcPath ? 'not a single value' : 'not found'} in the source stage's ${srcFile}`, { app, file: srcFile }));
      continue;
    }
    let tgtPath = resolveYamlPath(tgt.doc, p.path);
    if (!tgtPath && p.path.every((s) => typeof s === 'string')) tgtPath = p.path as string[];
    if (!tgtPath) {
      problems.push(problem(`${p.source}: not found in ${tgtFile}; add it there by hand once`, { app, file: tgtFile }));
      continue;
    }
    const tgtNode = tgt.doc.getIn(tgtPath, true);
    const value = srcNode.value as YamlScalar;
    if (isScalar(tgtNode) && tgtNode.value === value) continue;
    moves.push({ kind: 'path', name: p.source, file: tgtFile, ...(lineOf(tgtText, tgtNode as never) ? { line: lineOf(tgtText, tgtNode as never)! } : {}), ...(isScalar(tgtNode) ? { from: String(tgtNode.value) } : {}), to: String(value) });
    addSet(tgtFile, { path: tgtPath, value });
  }

  const edits: FileEdit[] = [];
  for (const [file, sets] of setsByFile) {
    const before = tree.read(file) ?? '';
    const r = editYaml(before, file, sets, docs.get(file)?.doc);
    problems.push(...r.problems.map((p) => ({ ...p, app })));
    if (r.problems.length === 0 && r.changed) edits.push({ file, before, after: r.text, diff: unifiedDiff(before, r.text, { fromLabel: `a/${file}`, toLabel: `b/${file}` }) });
  }
  if (problems.some((p) => p.severity === 'error')) return { app, sourceDir, targetDir, moves, edits: [], clusters: [], problems };
  const clusters = input.render === false || edits.length === 0 ? [] : renderDiffs(input, app, targetDir, edits, toClusters, byPath);
  return { app, sourceDir, targetDir, moves, edits, clusters, problems };
}

function renderDiffs(input: PlanInput, app: string, targetDir: string, edits: readonly FileEdit[], toClusters: readonly string[], byPath: AppIndex): ClusterDiff[] {
  const after = new OverlayFileTree(input.tree, edits.map((e) => [e.file, e.after] as const));
  const opts: RenderOptions = { ...input.renderWith, clusters: input.clusters, loadRestrictor: input.loadRestrictor ?? 'rootOnly' };
  const deployed = byPath.get(targetDir) ?? [];
  const cache = new Map<string, { changes: ResourceChange[]; problems: Problem[]; objects: readonly KubeObject[]; sourcePath: string }>();
  const out: ClusterDiff[] = [];
  for (const cluster of toClusters) {
    const found = deployed.find((d) => d.cluster === cluster)?.application;
    // Without a generated Application, the overlay as `kustomize build` renders it.
    const application: Application = found ?? {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: `${app}-${cluster}` },
      spec: { project: 'default', source: { repoURL: '', path: targetDir, targetRevision: 'HEAD' }, destination: { name: cluster } },
    };
    const namespace = application.spec.destination.namespace;
    const key = `${namespace ?? ''}\u0000${JSON.stringify(application.spec.source ?? application.spec.sources)}`;
    let r = cache.get(key);
    if (!r) {
      const before = renderApplication(application, { treeAt: () => input.tree }, opts);
      const next = renderApplication(application, { treeAt: () => after }, opts);
      const beforeFailed = before.problems.some((p) => p.severity === 'error');
      // A render that fails already today (e.g. a remote base, which is not rendered locally) cannot show the change,
      // but the promotion does not break it: warnings. A render the edits break is an error.
      const problems: Problem[] = beforeFailed
        ? next.problems.filter((p) => p.severity === 'error').map((p) => ({ ...p, severity: 'warning' as const, message: `the rendered diff cannot be shown: ${p.message}` }))
        : [...next.problems];
      const changes = beforeFailed || problems.some((p) => p.severity === 'error') ? [] : diffObjects(before.objects, next.objects, cluster);
      // A Flux Kustomization renders Flux objects that are apps of their own (a HelmRelease whose chart version or
      // values moved): render each changed one before and after, so the diff shows what its controller would apply.
      if (!beforeFailed && found && fluxIdentity(found)) {
        for (const child of fluxChildDiffs(input, opts, cluster, before.objects, next.objects)) {
          changes.push(...child.changes);
          problems.push(...child.problems);
        }
      }
      const source = application.spec.source ?? application.spec.sources?.[0];
      r = { changes, problems, objects: next.objects, sourcePath: typeof source?.path === 'string' ? source.path : targetDir };
      cache.set(key, r);
    }
    const problems: Problem[] = r.problems.map((p) => ({ ...p, app, cluster }));
    if (!found) problems.push({ ...problem(`no Application${input.pipeline.applicationSet ? ` of ApplicationSet ${input.pipeline.applicationSet}` : ''} deploys ${targetDir} to ${cluster}; showing the overlay as kustomize renders it`, { app, cluster }), severity: 'warning' });
    const validated = input.validators && !r.problems.some((p) => p.severity === 'error') ? validatePromoted(input.validators(cluster), r.objects, after, r.sourcePath, app, cluster, found?.metadata.name) : undefined;
    out.push({ cluster, ...(found ? { application: found.metadata.name } : {}), ...(namespace ? { namespace } : {}), changes: r.changes, problems: [...problems, ...(validated?.problems ?? [])], ...(validated ? { findings: validated.findings, checks: validated.checks } : {}) });
  }
  return out;
}

/** The plan's values as `app image=ref` lines: what the commit's `Flotilla-Promotion-Versions` trailer lists. */
export function planVersions(plan: PromotionPlan): string[] {
  return plan.apps.flatMap((a) => a.moves.map((m) => `${a.app}:${m.kind === 'image' ? m.to : `${m.name}=${m.to}`}`));
}

/** Every problem and failed gate of a plan, one line each. */
export function planBlockers(plan: PromotionPlan): string[] {
  return [
    ...[...plan.problems, ...plan.apps.flatMap((a) => a.problems), ...plan.apps.flatMap((a) => a.clusters.flatMap((c) => c.problems))].filter((p) => p.severity === 'error').map(formatProblem),
    ...plan.gates.filter((g) => !g.passed).map((g) => `gate ${g.gate}${g.app ? ` (${g.app})` : ''}: ${g.reason}`),
  ];
}
