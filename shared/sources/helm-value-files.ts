import { compileDoublestar } from '../appset/glob';
import type { FileTree } from '../repo/file-tree';
import { resolveInTree, walkFiles } from '../repo/file-tree';
import { normalizePath } from '../repo/paths';
import { envsubst } from './build-env';

// Where Argo CD's repo-server finds a Helm value file (`reposerver/repository` valueFileResolver and
// `util/io/path.ResolveValueFilePathOrUrl`): `$ref/...` in the ref source's tree, `/x` from the repository root,
// anything else from the chart folder; never outside the repository; globs expanded in lexical order.

/** A value file found in a tree. */
export interface LocalValueFile {
  readonly tree: FileTree;
  /** Repo-relative path in `tree`. */
  readonly path: string;
  /** The ref source it was read from (`values` for `$values/...`), when it came from one. */
  readonly ref?: string;
}

/** A value file at an `http(s)://` URL, which Argo CD hands to helm as it is (the Node side fetches it, bounded). */
export interface RemoteValueFile {
  readonly url: string;
}

/** A value file: in a tree, or at a URL. */
export type ResolvedValueFile = LocalValueFile | RemoteValueFile;

/** The URL schemes Argo CD allows for value files (`helm.valuesFileSchemes` default). */
export const VALUE_FILE_SCHEMES: readonly string[] = ['https', 'http'];

/** A value file that could not be resolved: the message is Argo CD's, `file` the repo-relative path when known. */
export class ValueFileError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

/** What resolving needs: the repository, the chart folder, the ref sources and the build environment. */
export interface ValueFileContext {
  readonly tree: FileTree;
  /** Repo-relative chart folder ('' for the root). */
  readonly chartPath: string;
  readonly refs: ReadonlyMap<string, FileTree>;
  readonly env: Readonly<Record<string, string>>;
  readonly ignoreMissing: boolean;
}

type RawResolution = { readonly tree: FileTree; readonly path: string; readonly ref?: string; readonly glob: boolean } | { readonly url: string };

/** A value file refers to a source in a multi-source app (`$name/...`) when it starts with `$` and names one. */
function refName(raw: string): string | undefined {
  if (!raw.startsWith('$')) return undefined;
  const slash = raw.indexOf('/');
  return (slash < 0 ? raw : raw.slice(0, slash)).slice(1);
}

/** Resolves one entry without expanding globs or checking existence; throws a ValueFileError when it leaves its root. */
export function resolveValueFilePath(raw: string, ctx: ValueFileContext): RawResolution {
  const ref = refName(raw);
  // `$ARGOCD_APP_NAME/...` is a path with a build variable, not a ref.
  if (ref !== undefined && ref !== '' && ctx.refs.size > 0 && (ctx.refs.has(ref) || !(ref in ctx.env))) {
    const tree = ctx.refs.get(ref);
    if (!tree) throw new ValueFileError(`source referenced "$${ref}", which is not one of the available sources (${[...ctx.refs.keys()].map((k) => `$${k}`).join(', ')})`);
    const rest = raw.slice(ref.length + 2);
    if (rest.replace(/\//g, '') === '') throw new ValueFileError(`invalid value file path "${raw}": no file path after the ref name`);
    const path = normalizePath(envsubst(ctx.env, `/${rest}`));
    if (path === undefined) throw new ValueFileError(`file '${raw}' resolved to outside repository root`);
    return { tree, path, ref, glob: isGlob(path) };
  }
  const p = envsubst(ctx.env, raw);
  // util/io/path.ResolveValueFilePathOrUrl: a URL with an allowed scheme goes to helm as it is; any other is refused.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(p);
  if (scheme && scheme[1]!.length > 1) {
    if (!VALUE_FILE_SCHEMES.includes(scheme[1]!.toLowerCase())) throw new ValueFileError(`the URL scheme '${scheme[1]!.toLowerCase()}' is not allowed`);
    return { url: p };
  }
  const path = normalizePath(p.startsWith('/') ? p : `${ctx.chartPath}/${p}`);
  if (path === undefined) throw new ValueFileError(`file '${raw}' resolved to outside repository root`);
  return { tree: ctx.tree, path, glob: isGlob(path) };
}

/**
 * Resolves `helm.valueFiles` in Argo CD's order: globs expand to matching files in lexical order, skipping files also
 * listed explicitly (those keep their own position) and duplicates; a missing file (or a glob matching none) is an
 * error unless `ignoreMissingValueFiles`.
 */
export function resolveValueFiles(rawFiles: readonly string[], ctx: ValueFileContext): ResolvedValueFile[] {
  const key = (t: FileTree, p: string): string => `${ctx.refs.size > 0 ? refKey(t, ctx) : ''}\u0000${p}`;
  const explicit = new Set<string>();
  for (const raw of rawFiles) {
    try {
      const r = resolveValueFilePath(raw, ctx);
      if (!('url' in r) && !r.glob) explicit.add(key(r.tree, r.path));
    } catch {
      // reported in order below
    }
  }
  const out: ResolvedValueFile[] = [];
  const seen = new Set<string>();
  const add = (r: ResolvedValueFile): void => {
    const k = 'url' in r ? `url\u0000${r.url}` : key(r.tree, r.path);
    if (seen.has(k)) return;
    seen.add(k);
    out.push(r);
  };
  for (const raw of rawFiles) {
    const r = resolveValueFilePath(raw, ctx);
    if ('url' in r) {
      add(r);
      continue;
    }
    if (r.glob) {
      const re = compileDoublestar(r.path);
      const matches = walkFiles(r.tree).filter((f) => re.test(f));
      if (matches.length === 0) {
        if (ctx.ignoreMissing) continue;
        throw new ValueFileError(`values file glob "${raw}" matched no files`, r.path);
      }
      const outside = matches.find((m) => !insideTree(r.tree, m));
      if (outside !== undefined) throw new ValueFileError(`glob pattern "${raw}": glob match "${outside}" resolved to outside repository root`, outside);
      for (const m of matches) if (!explicit.has(key(r.tree, m))) add({ tree: r.tree, path: m, ...(r.ref ? { ref: r.ref } : {}) });
      continue;
    }
    if (!insideTree(r.tree, r.path)) throw new ValueFileError(`file '${raw}' resolved to outside repository root`, r.path);
    if (r.tree.kind(r.path) !== 'file') {
      if (ctx.ignoreMissing) continue;
      throw new ValueFileError(`value file ${r.ref ? `$${r.ref}/${r.path}` : r.path} does not exist (open: no such file or directory)`, r.path);
    }
    add({ tree: r.tree, path: r.path, ...(r.ref ? { ref: r.ref } : {}) });
  }
  return out;
}

/** Resolves one `helm.fileParameters` path (no globs); the file must exist. */
export function resolveFileParameter(raw: string, ctx: ValueFileContext): LocalValueFile {
  const r = resolveValueFilePath(raw, ctx);
  if ('url' in r) throw new ValueFileError(`file parameter ${raw}: a file parameter must be a file of the repository, not a URL`);
  if (!insideTree(r.tree, r.path)) throw new ValueFileError(`file '${raw}' resolved to outside repository root`, r.path);
  if (r.tree.kind(r.path) !== 'file') throw new ValueFileError(`file parameter ${r.ref ? `$${r.ref}/${r.path}` : r.path} does not exist`, r.path);
  return { tree: r.tree, path: r.path, ...(r.ref ? { ref: r.ref } : {}) };
}

function refKey(t: FileTree, ctx: ValueFileContext): string {
  if (t === ctx.tree) return '';
  for (const [name, tree] of ctx.refs) if (tree === t) return name;
  return '?';
}

/** Whether every symbolic link on the way to `path` stays inside the tree (helm would follow a link anywhere). */
function insideTree(tree: FileTree, path: string): boolean {
  if (!tree.readLink) return true;
  return resolveInTree(path, (p) => tree.readLink?.(p)) !== undefined;
}

function isGlob(p: string): boolean {
  return /[*?[]/.test(p);
}
