import type { KubeObject } from '../model/status';
import type { Problem } from '../problem';
import { problem } from '../problem';
import type { FileTree } from '../repo/file-tree';
import { normalizePath } from '../repo/paths';
import { isRecord } from '../yaml/documents';
import { envsubst } from './build-env';
import { decodeManifestBytes, readJsonManifest, readJsonnetOutput, readYamlManifests } from './manifests';
import { argoGlobMatch } from './argo-glob';
import { resolveLink } from './links';
import type { JsonnetRequest, SourceInput, SourceOutput, SourceRenderer } from './types';
import { jsonnetProblem } from './jsonnet-error';

// A plain folder of manifests, read as Argo CD's repo-server reads it (`findManifests`): files named *.yaml, *.yml,
// *.json or *.jsonnet (case-sensitive) in the source path (sub-folders with `recurse`), in file-walk order; `include` /
// `exclude` globs on the path relative to the source path; files containing `+argocd:skip-file-rendering` skipped;
// symbolic links followed inside the repository only (one leaving it is an error, a dangling one is skipped).

const MANIFEST_FILE = /^.*\.(yaml|yml|json|jsonnet)$/;
const SKIP_MARKER = '+argocd:skip-file-rendering';

/** `spec.source.directory` as Argo CD reads it. */
interface DirectoryOptions {
  readonly recurse: boolean;
  readonly include: string;
  readonly exclude: string;
  readonly disableExtensionFilter: boolean;
  readonly jsonnet: { readonly libs: readonly string[]; readonly extVars: readonly JsonnetArg[]; readonly tlas: readonly JsonnetArg[] };
}

interface JsonnetArg {
  readonly name: string;
  readonly value: string;
  readonly code: boolean;
}

/** One candidate manifest file: its path in the tree (the link's own path) and the real file it reads. */
interface Candidate {
  readonly path: string;
  readonly name: string;
  readonly real: string;
}

/** Renders a directory source. */
export const directorySource: SourceRenderer = {
  kind: 'directory',
  render(input: SourceInput): SourceOutput {
    const opts = directoryOptions(input.source['directory']);
    const description = describe(input.path, opts);
    const fail = (p: Problem): SourceOutput => ({ objects: [], yaml: '', problems: [{ ...p, app: input.app }], description });
    const found = findCandidates(input.tree, input.path, opts);
    if ('error' in found) return fail(found.error);
    const objects: KubeObject[] = [];
    for (const c of found.files) {
      if (c.name.endsWith('.jsonnet')) {
        const r = evaluateJsonnet(input, c, opts);
        if ('error' in r) return fail(r.error);
        objects.push(...r.objects);
        continue;
      }
      const text = decodeManifestBytes(input.tree.readBytes(c.real) ?? new Uint8Array());
      const r = c.name.endsWith('.json') ? readJsonManifest(text, c.path, c.name) : readYamlManifests(text, c.path, c.name);
      if ('error' in r) return fail(r.error);
      objects.push(...r.objects);
    }
    return { objects, yaml: '', problems: [], description };
  },
};

/** Reads `spec.source.directory` (absent fields take Argo CD's defaults). */
function directoryOptions(raw: unknown): DirectoryOptions {
  const d = isRecord(raw) ? raw : {};
  const j = isRecord(d['jsonnet']) ? d['jsonnet'] : {};
  const args = (v: unknown): JsonnetArg[] =>
    (Array.isArray(v) ? v : []).filter(isRecord).map((a) => ({ name: String(a['name'] ?? ''), value: String(a['value'] ?? ''), code: a['code'] === true }));
  return {
    recurse: d['recurse'] === true,
    include: typeof d['include'] === 'string' ? d['include'] : '',
    exclude: typeof d['exclude'] === 'string' ? d['exclude'] : '',
    disableExtensionFilter: d['disableExtensionFilter'] === true,
    jsonnet: { libs: (Array.isArray(j['libs']) ? j['libs'] : []).map(String), extVars: args(j['extVars']), tlas: args(j['tlas']) },
  };
}

/** The manifest files of the source in walk order, or the error Argo CD refuses the source with. */
function findCandidates(tree: FileTree, root: string, opts: DirectoryOptions): { files: Candidate[] } | { error: Problem } {
  const files: Candidate[] = [];
  const visit = (dir: string): Problem | undefined => {
    for (const e of tree.list(dir) ?? []) {
      const path = dir === '' ? e.name : `${dir}/${e.name}`;
      const link = tree.readLink?.(path);
      if (link === undefined && e.kind === 'dir') {
        if (opts.recurse) {
          const err = visit(path);
          if (err) return err;
        }
        continue;
      }
      if (!opts.disableExtensionFilter && !MANIFEST_FILE.test(e.name)) continue;
      const rel = root === '' ? path : path.slice(root.length + 1);
      let real = path;
      if (link !== undefined) {
        const r = resolveLink(tree, path);
        if (r.outside) return problem(`illegal filepath in symlink at "${rel}" (it points outside the repository)`, { file: path });
        if (r.path === undefined) continue;
        real = r.path;
      }
      if (tree.kind(real) !== 'file') continue;
      if (opts.exclude !== '' && argoGlobMatch(opts.exclude, rel)) continue;
      if (opts.include !== '' && !argoGlobMatch(opts.include, rel)) continue;
      const bytes = tree.readBytes(real);
      if (bytes && decodeManifestBytes(bytes).includes(SKIP_MARKER)) continue;
      files.push({ path, name: e.name, real });
    }
    return undefined;
  };
  if (tree.kind(root) !== 'dir') return { error: problem(`${root || '.'}: app path does not exist`, { file: root }) };
  const err = visit(root);
  return err ? { error: err } : { files };
}

/** Evaluates a `.jsonnet` file with the source's `directory.jsonnet` options (values substituted from the build env). */
function evaluateJsonnet(input: SourceInput, c: Candidate, opts: DirectoryOptions): { objects: readonly KubeObject[] } | { error: Problem } {
  const jsonnet = input.tools.jsonnet;
  if (!jsonnet) return { error: problem(`"${c.name}" is a Jsonnet file, and no Jsonnet evaluator is available in this run`, { file: c.path }) };
  const libs: string[] = [input.path];
  for (const lib of opts.jsonnet.libs) {
    const l = normalizePath(lib);
    if (l === undefined) return { error: problem(`jsonnet library path ${lib} leaves the repository`, { file: c.path }) };
    libs.push(l);
  }
  const sub = (a: JsonnetArg): JsonnetArg => ({ ...a, value: envsubst(input.env, a.value) });
  const request: JsonnetRequest = { tree: input.tree, file: c.real, libs, extVars: opts.jsonnet.extVars.map(sub), tlas: opts.jsonnet.tlas.map(sub) };
  const r = jsonnet.evaluate(request);
  if ('error' in r) return { error: jsonnetProblem(r.error, c.path, c.name) };
  const read = readJsonnetOutput(r.json, c.path, c.name);
  return read;
}

/** "directory at apps/web (recurse, include '*.yaml')". */
function describe(path: string, o: DirectoryOptions): string {
  const opts = [
    o.recurse ? 'recurse' : '',
    o.include ? `include '${o.include}'` : '',
    o.exclude ? `exclude '${o.exclude}'` : '',
    o.disableExtensionFilter ? 'any file extension' : '',
    o.jsonnet.libs.length ? `jsonnet libs ${o.jsonnet.libs.join(', ')}` : '',
    o.jsonnet.extVars.length ? `jsonnet extVars ${o.jsonnet.extVars.map((a) => a.name).join(', ')}` : '',
    o.jsonnet.tlas.length ? `jsonnet tlas ${o.jsonnet.tlas.map((a) => a.name).join(', ')}` : '',
  ].filter(Boolean);
  return `directory at ${path || '.'}${opts.length ? ` (${opts.join(', ')})` : ''}`;
}
