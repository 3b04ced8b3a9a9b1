import { kustomizeBuild } from '../kustomize';
import { KUSTOMIZATION_FILE_NAMES, parseKustomization } from '../kustomize/kustomization';
import type { JsonMap } from '../kustomize/yaml';
import { emitYaml } from '../kustomize/yaml';
import type { KubeObject } from '../model/status';
import { problem } from '../problem';
import { OverlayFileTree } from '../promotion/overlay-tree';
import type { KustomizeSourceOptions } from './kustomize-edit';
import { editKustomization, editsKustomization, kustomizeSourceOptions } from './kustomize-edit';
import type { SourceInput, SourceOutput, SourceRenderer } from './types';

// A Kustomize source as Argo CD renders it: the `spec.source.kustomize` options edit the kustomization file
// (`kustomize edit …` on a fresh checkout), then `kustomize build <path>`. Here the edited kustomization is laid over
// the repository's tree and the in-process kustomize builds it; the repository itself is never written.

/** Renders a kustomize source. */
export const kustomizeSource: SourceRenderer = {
  kind: 'kustomize',
  render(input: SourceInput): SourceOutput {
    const opts = kustomizeSourceOptions(input.source['kustomize']);
    const description = describe(input.path, opts) + (input.kustomizeBuildOptions?.options.trim() ? ` (build options ${input.kustomizeBuildOptions.options.trim()} from ${input.kustomizeBuildOptions.from})` : '');
    const fail = (message: string, file?: string, line?: number): SourceOutput => ({
      objects: [],
      yaml: '',
      problems: [problem(message, { app: input.app, ...(file !== undefined ? { file } : {}), ...(line !== undefined ? { line } : {}) })],
      description,
    });
    const dir = input.path;
    const present = KUSTOMIZATION_FILE_NAMES.filter((n) => input.tree.kind(dir === '' ? n : `${dir}/${n}`) === 'file');
    let tree = input.tree;
    if (editsKustomization(opts)) {
      if (present.length === 0) {
        const onlyPatches = opts.patches.length > 0 && !editsKustomization({ ...opts, patches: [] });
        return fail(onlyPatches ? 'kustomization file not found in the path' : `Missing kustomization file 'kustomization.yaml' in ${dir || '.'} (kustomize edit needs one)`, dir);
      }
      if (present.length > 1) return fail(`Found multiple kustomization file: ${present.join(' ')}`, dir);
      const file = dir === '' ? present[0]! : `${dir}/${present[0]!}`;
      const parsed = parseKustomization(input.tree.read(file) ?? '', file);
      let fields: JsonMap = {};
      if (parsed.k) fields = legacyFolded(parsed.k.fields as JsonMap);
      else if (parsed.error && parsed.error.message !== 'kustomization.yaml is empty') return fail(parsed.error.message, file, parsed.error.line);
      const edited = editKustomization(fields, opts, input.env, { tree: input.tree, path: dir });
      if ('error' in edited) return fail(edited.error, file);
      tree = new OverlayFileTree(input.tree, [[file, emitYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...edited.fields })]]);
    } else if (present.length === 0) {
      return fail(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir || '.'}'`, dir);
    }
    // Argo CD runs `kustomize build` with its kustomize.buildOptions only: helmCharts need --enable-helm there.
    const flags = buildFlags(input.kustomizeBuildOptions?.options);
    const helm = flags.enableHelm ? input.tools.kustomizeHelm?.(input.tree) : undefined;
    const r = kustomizeBuild(tree, dir, { loadRestrictor: flags.loadRestrictor ?? input.loadRestrictor, enableHelm: flags.enableHelm, ...(helm ? { helm } : {}) });
    const problems = r.problems.map((p) => ({
      ...p,
      app: input.app,
      ...(p.message.endsWith('must specify --enable-helm') ? { message: `${p.message} (Argo CD builds with --enable-helm only when argocd-cm's kustomize.buildOptions has it: set it there, or spec.kustomize.buildOptions in flotilla.yaml)` } : {}),
    }));
    if (problems.some((p) => p.severity === 'error')) return { objects: [], yaml: '', problems, description };
    return { objects: r.resources as KubeObject[], yaml: r.yaml, problems, description };
  },
};

/** The `kustomize build` flags of Argo CD's kustomize.buildOptions that change what is built: --enable-helm, --load-restrictor. */
function buildFlags(options: string | undefined): { readonly enableHelm: boolean; readonly loadRestrictor?: 'rootOnly' | 'none' } {
  const args = (options ?? '').split(/\s+/).filter(Boolean);
  let enableHelm = false;
  let loadRestrictor: 'rootOnly' | 'none' | undefined;
  for (const [i, a] of args.entries()) {
    if (a === '--enable-helm' || a === '--enable-helm=true') enableHelm = true;
    else if (a === '--enable-helm=false') enableHelm = false;
    const lr = a.startsWith('--load-restrictor=') ? a.slice('--load-restrictor='.length) : a === '--load-restrictor' ? args[i + 1] : undefined;
    if (lr === 'LoadRestrictionsNone') loadRestrictor = 'none';
    else if (lr === 'LoadRestrictionsRootOnly') loadRestrictor = 'rootOnly';
  }
  return { enableHelm, ...(loadRestrictor ? { loadRestrictor } : {}) };
}

/** The fields as `kustomize edit` writes them back: legacy `bases`/`imageTags`/`helmChartInflationGenerator` folded in (FixKustomization). */
function legacyFolded(fields: JsonMap): JsonMap {
  const out: JsonMap = { ...fields };
  delete out['bases'];
  delete out['imageTags'];
  if (out['helmChartInflationGenerator'] !== undefined) delete out['helmChartInflationGenerator'];
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  return out;
}

/** "kustomize at apps/web with namePrefix p-, images nginx:1.27, …". */
function describe(path: string, o: KustomizeSourceOptions): string {
  const map = (m: Readonly<Record<string, string>>): string => Object.entries(m).map(([k, v]) => `${k}=${v}`).join(', ');
  const opts = [
    o.namePrefix !== undefined ? `namePrefix ${o.namePrefix}` : '',
    o.nameSuffix !== undefined ? `nameSuffix ${o.nameSuffix}` : '',
    o.images.length ? `images ${o.images.join(', ')}` : '',
    o.replicas.length ? `replicas ${o.replicas.map((r) => `${r.name}=${String(r.count)}`).join(', ')}` : '',
    Object.keys(o.commonLabels).length ? `${o.forceCommonLabels ? 'forced ' : ''}commonLabels ${map(o.commonLabels)}${o.labelWithoutSelector ? ' (without selector)' : ''}` : '',
    Object.keys(o.commonAnnotations).length ? `${o.forceCommonAnnotations ? 'forced ' : ''}commonAnnotations ${map(o.commonAnnotations)}` : '',
    o.namespace !== undefined ? `namespace ${o.namespace}` : '',
    o.patches.length ? `${o.patches.length} patch${o.patches.length === 1 ? '' : 'es'}` : '',
    o.components.length ? `components ${o.components.join(', ')}` : '',
  ].filter(Boolean);
  return `kustomize at ${path || '.'}${opts.length ? ` with ${opts.join('; ')}` : ''}`;
}
