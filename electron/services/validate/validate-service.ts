import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { RenderedApp } from '../../../shared/fleet/render-apps';
import { kustomizeBuild } from '../../../shared/kustomize';
import type { ClusterSpec, FleetSpec } from '../../../shared/model/fleet';
import type { Problem } from '../../../shared/problem';
import type { FileTree } from '../../../shared/repo/file-tree';
import { walkFiles } from '../../../shared/repo/file-tree';
import { FLEET_FILE, fleetFileOf } from '../../../shared/repo/scan';
import { isAdmissionObject, policyParamKinds } from '../../../shared/validate/admission';
import type { ValidationInput } from '../../../shared/validate/finding';
import { lintValidator } from '../../../shared/validate/lint/lint-check';
import type { ValidationReport, ValidationTarget } from '../../../shared/validate/report';
import type { SchemaBundle } from '../../../shared/validate/schema/compact';
import type { CrdSchema } from '../../../shared/validate/schema/crd';
import { crdSchemas, isCrd } from '../../../shared/validate/schema/crd';
import { schemaValidator } from '../../../shared/validate/schema/schema-check';
import { SchemaSet } from '../../../shared/validate/schema/schema-set';
import { scoreValidator } from '../../../shared/validate/score/score-check';
import { sourceMapOf } from '../../../shared/validate/source-map';
import type { Validator } from '../../../shared/validate/types';
import { runValidators } from '../../../shared/validate/types';
import { isRecord, parseYamlDocuments } from '../../../shared/yaml/documents';
import { ClusterManager } from '../cluster/cluster-manager';
import type { FleetService } from '../fleet-service';
import { FsFileTree } from '../fs-file-tree';
import { helmRunnerFor } from '../helm/kustomize-helm-runner';
import type { RenderAppsQuery, RevisionDiscovery } from '../render-service';
import { discoverRevision, renderApps } from '../render-service';
import { admissionValidators } from './admission-live';
import { bundledSchemasFor } from './bundled-schemas';
import { sliceYielder } from '../event-loop-slices';

// Validation of what Flotilla renders, per target cluster: each app's objects against the schemas of the cluster's
// Kubernetes version (its own /openapi/v3 when a caller provides it, else the bundled minor) and the CRDs of the
// repository and of the rendered apps, then lint and the security score, then the cluster's admission policies
// (those its apps render, and with `live` those it holds). The CLI, the promotion gate and the UI all come through this service.

/** Which objects to validate: apps of the fleet (like `render`), or a path of the repository as written. */
export interface ValidateQuery extends Pick<RenderAppsQuery, 'app' | 'cluster' | 'revision'> {
  /** A repository path (file or folder; a kustomization is built), relative to the repository or absolute. */
  readonly path?: string;
}

/** Effects and extra checks the caller brings. */
export interface ValidateOptions {
  /** The cluster's own schemas (its /openapi/v3), when connected; undefined falls back to the bundled version. */
  readonly clusterSchemas?: (cluster: ClusterSpec) => Promise<SchemaBundle | undefined>;
  /** Further validators per target, run after schema, lint, score and admission. */
  readonly validators?: (target: { readonly cluster?: ClusterSpec; readonly app?: string }) => readonly Validator[];
  /**
   * Read each target cluster's admission policies (and their params, Namespaces, discovery) live too, through these
   * kubeconfig files; without it only the policies the repository renders for the cluster are checked.
   */
  readonly live?: { readonly kubeconfig: readonly string[]; readonly timeoutMs?: number };
}

/** Validates apps of the fleet (every app with neither `app` nor `path`) or a path, one target per app and cluster. */
export async function validateFleet(fleet: FleetService, query: ValidateQuery, opts: ValidateOptions = {}): Promise<ValidationReport> {
  if (query.path !== undefined) return validatePath(fleet, query.path, query.revision);
  // Discovered once, at the revision validated: its fleet file (ignore rules, clusters) and every render below use it.
  const discovered = await discoverRevision(fleet, query.revision);
  const ignore = discovered.scan.fleet.validation?.ignore ?? [];
  const tree = discovered.tree;
  const repoCrds = await crdsInTreeSliced(tree);
  const rendered: RenderedApp[] = [];
  await renderApps(fleet, { ...query, discovered }, (r) => rendered.push(r));
  // One app is checked against what every app of its cluster renders: the others are rendered for that only.
  const others = query.app !== undefined ? await clusterNeighbours(fleet, rendered, discovered) : { apps: [], problems: new Map<string, Problem[]>() };
  const clusters = discovered.clusters;
  // CRDs an app renders count for every app on the same cluster.
  const renderedCrds = new Map<string, { schemas: CrdSchema[]; problems: Problem[] }>();
  for (const r of [...rendered, ...others.apps]) {
    const acc = renderedCrds.get(r.cluster ?? '') ?? { schemas: [], problems: [] };
    for (const o of r.objects) {
      if (!isCrd(o as Record<string, unknown>)) continue;
      const c = crdSchemas(o as Record<string, unknown>);
      acc.schemas.push(...c.schemas);
      acc.problems.push(...c.problems.map((p) => ({ ...p, app: r.app })));
    }
    renderedCrds.set(r.cluster ?? '', acc);
  }
  const sets = new Map<string, Promise<{ set: SchemaSet; source: string; note?: string }>>();
  const setFor = (cluster: ClusterSpec | undefined): Promise<{ set: SchemaSet; source: string; note?: string }> => {
    const key = cluster?.name ?? '';
    let s = sets.get(key);
    if (!s) {
      s = (async () => {
        let liveError: string | undefined;
        const live = cluster && opts.clusterSchemas ? await opts.clusterSchemas(cluster).catch((e: unknown) => void (liveError = e instanceof Error ? e.message : String(e))) : undefined;
        const bundled = live ? undefined : bundledSchemasFor(cluster?.kubernetesVersion);
        const bundle = live ?? bundled!.bundle;
        const extra = renderedCrds.get(key) ?? { schemas: [], problems: [] };
        const set = new SchemaSet(bundle, [...repoCrds.schemas, ...extra.schemas], [...repoCrds.problems, ...extra.problems]);
        const notes = [liveError ? `could not read the schemas of cluster ${key} (${liveError}); validated against the bundled Kubernetes ${bundle.kubernetesVersion}` : '', bundled?.note ?? ''].filter(Boolean).join('; ');
        return { set, source: bundle.source, ...(notes ? { note: notes } : {}) };
      })();
      sets.set(key, s);
    }
    return s;
  };
  const rows = new Map(discovered.fleet.apps.map((a) => [a.name, a]));
  const inputsFor = (r: Pick<RenderedApp, 'app' | 'objects'>): ValidationInput[] => {
    if (r.objects.length === 0) return [];
    const app = rows.get(r.app)?.application;
    const sourcePaths = app ? [...(app.spec.sources ?? []), ...(app.spec.source ? [app.spec.source] : [])].map((s) => (typeof s.path === 'string' ? s.path : undefined)).filter((p): p is string => p !== undefined) : [];
    const maps = sourcePaths.map((p) => sourceMapOf(tree, p.replace(/^\.\/?/, '').replace(/\/+$/, '')));
    return r.objects.map((o) => {
      const obj = o as Record<string, unknown>;
      for (const m of maps) {
        const hit = m.locate(obj);
        if (hit) return { object: obj, source: hit.source, locate: hit.locate };
      }
      return { object: obj, ...(sourcePaths[0] !== undefined ? { source: { file: sourcePaths[0] } } : {}) };
    });
  };
  const inputsOf = rendered.map(inputsFor);
  // Admission policies are the cluster's, not the app's: one check per cluster over every app's rendered objects.
  const manager = opts.live ? ClusterManager.fromKubeconfig({ clusters: clusters.filter((c) => rendered.some((r) => r.cluster === c.name)), kubeconfigPaths: opts.live.kubeconfig, ...(opts.live.timeoutMs ? { timeoutMs: opts.live.timeoutMs } : {}) }) : undefined;
  let admission: Map<string, Validator>;
  try {
    admission = await admissionValidators([
      ...rendered.map((r, i) => ({ ...(r.cluster ? { cluster: r.cluster } : {}), inputs: inputsOf[i]! })),
      ...others.apps.map((r) => ({ ...(r.cluster ? { cluster: r.cluster } : {}), inputs: inputsFor(r) })),
    ], manager ? (name) => (manager.names().includes(name) ? manager.connection(name) : undefined) : undefined);
  } finally {
    manager?.close();
  }
  const targets: ValidationTarget[] = [];
  const slice = sliceYielder();
  for (const [i, r] of rendered.entries()) {
    await slice();
    const cluster = clusters.find((c) => c.name === r.cluster);
    const { set, source, note } = await setFor(cluster);
    const inputs = inputsOf[i]!;
    const admissionCheck = admission.get(r.cluster ?? '');
    const validators = [schemaValidator(set), lintValidator(ignore), scoreValidator(ignore), ...(admissionCheck ? [admissionCheck] : []), ...(opts.validators?.({ ...(cluster ? { cluster } : {}), app: r.app }) ?? [])];
    const result = runValidators(validators, inputs, { ...(r.cluster ? { cluster: r.cluster } : {}), app: r.app });
    const renderProblems = r.problems.filter((p) => p.severity === 'error');
    targets.push({
      app: r.app, ...(r.cluster ? { cluster: r.cluster } : {}),
      kubernetesVersion: set.bundle.kubernetesVersion, schemaSource: source, objects: inputs.length,
      // Schema findings of a CRD problem repeat in every target: say them once per target, as problems.
      findings: result.findings,
      problems: [...renderProblems, ...(others.problems.get(r.cluster ?? '') ?? []), ...dedupe(result.problems), ...(note ? [{ severity: 'warning' as const, message: note, ...(r.cluster ? { cluster: r.cluster } : {}) }] : [])],
    });
  }
  return { targets, problems: [] };
}

/**
 * The other apps of each cluster the `rendered` apps deploy to, rendered for what that cluster's admission check reads
 * from them (policies, bindings, Namespaces, CRDs, params: isAdmissionObject) and nothing else, so their own findings
 * are never made. An app that fails to render leaves its cluster's policies unknown: an error Problem per cluster says
 * which app, never a silent pass.
 */
async function clusterNeighbours(fleet: FleetService, rendered: readonly RenderedApp[], discovered: RevisionDiscovery): Promise<{ apps: RenderedApp[]; problems: Map<string, Problem[]> }> {
  const apps: RenderedApp[] = [];
  const problems = new Map<string, Problem[]>();
  const exclude = rendered.map((r) => r.app);
  for (const cluster of new Set(rendered.map((r) => r.cluster).filter((c): c is string => c !== undefined))) {
    const found: RenderedApp[] = [];
    // Source order: sibling overlays render together while their shared bases are cached.
    await renderApps(fleet, { cluster, exclude, order: 'source', discovered }, (r) => found.push(r));
    // A param may be rendered by an app before the policy naming it: the param kinds are the whole cluster's.
    const paramKinds = policyParamKinds([...rendered, ...found].filter((r) => r.cluster === cluster).flatMap((r) => r.objects as Record<string, unknown>[]));
    for (const r of found) {
      apps.push({ ...r, objects: r.objects.filter((o) => isAdmissionObject(o as Record<string, unknown>, paramKinds)) });
      const failed = r.problems.find((p) => p.severity === 'error');
      if (!failed) continue;
      const list = problems.get(cluster) ?? [];
      list.push({ severity: 'error', cluster, app: r.app, message: `the admission policies of cluster ${cluster} are not all known: its app ${r.app} does not render (${failed.message}); validate it with --app ${r.app}` });
      problems.set(cluster, list);
    }
  }
  return { apps, problems };
}

function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.file}:${p.line}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** CRDs written in the repository (any YAML file that mentions CustomResourceDefinition). */
export function crdsInTree(tree: FileTree): { schemas: CrdSchema[]; problems: Problem[] } {
  const found = { schemas: [] as CrdSchema[], problems: [] as Problem[] };
  for (const _ of crdScan(tree, found));
  return found;
}

/**
 * `crdsInTree` for the server: every file of the repository is listed and those naming CustomResourceDefinition read
 * (seconds at 10,000 apps × 3 overlays, read from git), so the event loop is yielded every slice and the pages' calls
 * are answered meanwhile.
 */
export async function crdsInTreeSliced(tree: FileTree): Promise<{ schemas: CrdSchema[]; problems: Problem[] }> {
  const found = { schemas: [] as CrdSchema[], problems: [] as Problem[] };
  const slice = sliceYielder();
  for (const _ of crdScan(tree, found)) await slice();
  return found;
}

/** Reads the repository's CRDs into `found`, yielding after each file (the caller decides whether to pause). */
function* crdScan(tree: FileTree, found: { schemas: CrdSchema[]; problems: Problem[] }): Generator<void> {
  for (const file of walkFiles(tree)) {
    yield;
    if (!/\.(ya?ml|json)$/.test(file)) continue;
    const text = tree.read(file);
    if (!text || !text.includes('CustomResourceDefinition')) continue;
    for (const d of parseYamlDocuments(text, file).docs) {
      if (!isRecord(d.value) || !isCrd(d.value)) continue;
      const c = crdSchemas(d.value, { file, line: d.line });
      found.schemas.push(...c.schemas);
      found.problems.push(...c.problems);
    }
  }
}

/** HEAD's fleet file as discovery read it, with its own problems; when discovery fails, the defaults and a warning saying so. */
async function headFleetFile(fleet: FleetService): Promise<{ readonly fleet: FleetSpec | undefined; readonly problems: readonly Problem[] }> {
  try {
    const { scan } = await fleet.discovery();
    return { fleet: scan.fleet, problems: scan.problems.filter((p) => p.file === FLEET_FILE) };
  } catch (e) {
    return { fleet: undefined, problems: [{ severity: 'warning', message: `${FLEET_FILE} at HEAD could not be read (${e instanceof Error ? e.message : String(e)}): validated with the default settings`, file: FLEET_FILE }] };
  }
}

/** A repository path validated as written: a file's or folder's documents (a kustomization is built first). */
async function validatePath(fleet: FleetService, target: string, revision: string | undefined): Promise<ValidationReport> {
  const root = fleet.repo.root;
  const abs = path.resolve(root, target);
  const rel = path.relative(root, existsSync(abs) ? realpathSync(abs) : abs).split(path.sep).join('/');
  if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) throw new Error(`${target} is outside the repository ${root}`);
  const tree: FileTree = revision ? fleet.repo.treeAt(revision) : new FsFileTree(root);
  // The fleet file (ignore rules, load restrictor) of the revision validated: at R, R's own; else HEAD's discovery.
  // A fleet file that does not read is reported (its settings would silently be the defaults otherwise).
  const fleetRead = revision ? fleetFileOf(tree) : await headFleetFile(fleet);
  const fleetFile = fleetRead.fleet;
  const ignore = fleetFile?.validation?.ignore ?? [];
  const { bundle, note } = bundledSchemasFor(undefined);
  const repoCrds = crdsInTree(tree);
  const problems: Problem[] = [...fleetRead.problems];
  let inputs: ValidationInput[] = [];
  const kind = tree.kind(rel);
  if (kind === undefined) throw new Error(`${target}: no such file or folder in the repository`);
  const isKustomization = kind === 'dir' && ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((k) => tree.kind(rel === '' ? k : `${rel}/${k}`) === 'file');
  if (isKustomization) {
    const helm = helmRunnerFor(tree);
    const r = kustomizeBuild(tree, rel, { loadRestrictor: fleetFile?.loadRestrictor ?? 'rootOnly', ...(helm ? { helm } : {}) });
    problems.push(...r.problems);
    const map = sourceMapOf(tree, rel);
    inputs = r.resources.map((o) => {
      const obj = o as Record<string, unknown>;
      const hit = map.locate(obj);
      return hit ? { object: obj, source: hit.source, locate: hit.locate } : { object: obj, source: { file: rel } };
    });
  } else {
    const files = kind === 'file' ? [rel] : walkFiles(tree, rel).filter((f) => /\.(ya?ml|json)$/.test(f));
    for (const file of files) {
      const parsed = parseYamlDocuments(tree.read(file) ?? '', file);
      problems.push(...parsed.problems);
      for (const d of parsed.docs) if (isRecord(d.value)) inputs.push({ object: d.value, source: { file, line: d.line }, locate: (p) => ({ file, ...d.at(p) }) });
    }
  }
  const set = new SchemaSet(bundle, [...repoCrds.schemas, ...inputs.filter((i) => isCrd(i.object)).flatMap((i) => crdSchemas(i.object, i.source).schemas)], repoCrds.problems);
  const result = runValidators([schemaValidator(set), lintValidator(ignore), scoreValidator(ignore)], inputs, {});
  return {
    targets: [{ path: rel || '.', kubernetesVersion: bundle.kubernetesVersion, schemaSource: bundle.source, objects: inputs.length, findings: result.findings, problems: [...problems, ...dedupe(result.problems), ...(note ? [{ severity: 'warning' as const, message: note }] : [])] }],
    problems: [],
  };
}
