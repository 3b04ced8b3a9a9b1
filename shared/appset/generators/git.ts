import { parseAllDocuments } from 'yaml';
import type { Params } from '../../model/params';
import type { FileTree } from '../../repo/file-tree';
import { walkFiles } from '../../repo/file-tree';
import { basename, dirname } from '../../repo/paths';
import type { AppSetContext } from '../engine';
import { compileDoublestar, compileGitPathspec, compileGoPathMatch } from '../glob';
import { flattenDotted, goSprintV, isPlainObject } from '../go-values';
import type { TemplateMode } from '../template';
import { sanitizeName } from '../template';
import type { GenerateResult, GeneratorFn, GeneratorIssue, ParamSet } from './types';
import { issue } from './types';
import { generatorValues, withValues } from './values';
import { YAML_TO_JS, yamlLimitMessage, yamlSizeError } from '../../yaml/limits';

const PATH = ['git'];
const WRAP = 'error generating params from git: ';

interface PathItem {
  readonly path: string;
  readonly exclude: boolean;
}

function pathItems(v: unknown): PathItem[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.filter(isPlainObject).map((i) => ({ path: typeof i['path'] === 'string' ? i['path'] : '', exclude: i['exclude'] === true }));
}

const dirCache = new WeakMap<FileTree, Map<number, readonly string[]>>();
const fileCache = new WeakMap<FileTree, Map<string, readonly string[]>>();

/** Every file of a tree under a folder ('' the whole tree), as walkFiles lists them; computed once per tree object and folder. */
function treeFiles(tree: FileTree, root = ''): readonly string[] {
  let byRoot = fileCache.get(tree);
  if (!byRoot) {
    byRoot = new Map();
    fileCache.set(tree, byRoot);
  }
  let files = byRoot.get(root);
  if (!files) {
    files = walkFiles(tree, root);
    byRoot.set(root, files);
  }
  return files;
}

/**
 * The folder under which every file a git files pattern can match lies ('' for the whole tree), in either matching
 * mode: the segments before the first one with a wildcard (`* ? [ { \`); a pattern without one matches its path or
 * anything under it as a folder, so its own folder.
 */
export function filesPatternRoot(pattern: string): string {
  const segments = pattern.replace(/^\.?\//, '').replace(/^\/+/, '').split('/');
  const wild = segments.findIndex((s) => /[*?[{\\]/.test(s));
  const fixed = wild < 0 ? segments.slice(0, -1) : segments.slice(0, wild);
  return fixed.some((s) => s === '' || s === '.' || s === '..') ? '' : fixed.join('/');
}

/**
 * The files the include patterns can match: those under each pattern's root folder (the whole walk as soon as one
 * root is the tree's, or passes through a link: the whole walk does not follow links into folders). Which of them
 * match is for the patterns to say; only the walk is narrowed, so a file added elsewhere is never read as a change.
 */
function candidateFiles(tree: FileTree, includes: readonly string[]): readonly string[] {
  const roots = [...new Set(includes.map(filesPatternRoot))].sort();
  const throughLink = (root: string): boolean => {
    for (let p = root; p !== ''; p = dirname(p)) if (tree.readLink?.(p) !== undefined) return true;
    return false;
  };
  if (roots.length === 0 || roots.includes('') || roots.some(throughLink)) return treeFiles(tree);
  // A root inside another is walked with it.
  const outer = roots.filter((r) => !roots.some((o) => o !== r && r.startsWith(`${o}/`)));
  return outer.flatMap((r) => (tree.kind(r) === 'dir' ? treeFiles(tree, r) : []));
}

/**
 * Every folder of a tree as the repo server's GetDirectories reports it: recursive, root and dot-folders left out, in
 * the same order; with `maxDepth`, only folders of at most that many segments (the others could match no pattern).
 */
export function gitDirectories(tree: FileTree, maxDepth = Number.POSITIVE_INFINITY): readonly string[] {
  let byDepth = dirCache.get(tree);
  if (!byDepth) {
    byDepth = new Map();
    dirCache.set(tree, byDepth);
  }
  const cached = byDepth.get(maxDepth);
  if (cached) return cached;
  const out: string[] = [];
  const visit = (dir: string, depth: number): void => {
    for (const e of tree.list(dir) ?? []) {
      if (e.kind !== 'dir' || e.name.startsWith('.')) continue;
      const p = dir === '' ? e.name : `${dir}/${e.name}`;
      out.push(p);
      if (depth < maxDepth) visit(p, depth + 1);
    }
  };
  if (maxDepth > 0) visit('', 1);
  byDepth.set(maxDepth, out);
  return out;
}

/**
 * The most segments a folder matched by a Go path.Match pattern can have: `*` and `?` never match '/', so a match has
 * exactly the pattern's slashes; a character class might, so a pattern with one can match at any depth.
 */
function matchDepth(pattern: string): number {
  if (pattern.includes('[')) return Number.POSITIVE_INFINITY;
  let slashes = 0;
  for (let i = 0; i < pattern.length; i++) if (pattern[i] === '/') slashes++;
  return slashes + 1;
}

const visibleCache = new WeakMap<readonly string[], readonly string[]>();

/** Drops folders inside (or named) a dot-folder, which the repo server never reports (.git, .github, ...); once per listing. */
function withoutDotFolders(dirs: readonly string[]): readonly string[] {
  let out = visibleCache.get(dirs);
  if (!out) {
    out = dirs.some((d) => d.startsWith('.') || d.includes('/.')) ? dirs.filter((d) => !d.startsWith('.') && !d.includes('/.')) : dirs;
    visibleCache.set(dirs, out);
  }
  return out;
}

/** A folder the directories generator chose, with the names its parameters carry. */
interface ChosenDir {
  readonly dir: string;
  readonly basename: string;
  readonly basenameNormalized: string;
}

/** The folders a set of patterns chooses from one listing, and the warnings for include patterns that match none. */
interface DirSelection {
  readonly chosen: readonly ChosenDir[];
  readonly warnings: readonly GeneratorIssue[];
}

/** Selections by listing (the same array while a generation run reads the same repository and revision) and patterns. */
const selectionCache = new WeakMap<readonly string[], Map<string, DirSelection>>();

/**
 * The folders of `all` that an include pattern matches and no exclude pattern does, in listing order. Computed once
 * per listing and patterns: a matrix runs its git child once per parameter set of its first child (once per cluster),
 * with the same listing and the same patterns each time.
 */
function selectDirectories(all: readonly string[], compiled: readonly { item: PathItem; re: RegExp }[], at: string): DirSelection {
  let byPatterns = selectionCache.get(all);
  if (!byPatterns) {
    byPatterns = new Map();
    selectionCache.set(all, byPatterns);
  }
  const key = `${at}\n${JSON.stringify(compiled.map((c) => [c.item.path, c.item.exclude]))}`;
  const hit = byPatterns.get(key);
  if (hit) return hit;
  const hits = compiled.map(() => 0);
  const chosen: ChosenDir[] = [];
  for (const dir of all) {
    let include = false;
    let exclude = false;
    for (let i = 0; i < compiled.length; i++) {
      const c = compiled[i]!;
      if (!c.re.test(dir)) continue;
      hits[i]!++;
      if (c.item.exclude) {
        exclude = true;
        break;
      }
      include = true;
    }
    if (include && !exclude) {
      const base = basename(dir);
      chosen.push({ dir, basename: base, basenameNormalized: sanitizeName(base) });
    }
  }
  const warnings: GeneratorIssue[] = [];
  compiled.forEach((c, i) => {
    if (!c.item.exclude && hits[i] === 0) {
      warnings.push({ severity: 'warning', message: `git directories path '${c.item.path}' matches no folder of ${at}`, path: PATH, element: `directories path '${c.item.path}'` });
    }
  });
  const selection = { chosen, warnings };
  byPatterns.set(key, selection);
  return selection;
}

/** Path parameters of a folder (directories) in Argo CD's shapes. */
function directoryParams(d: ChosenDir, prefix: string, goTemplate: boolean): Params {
  const params: Params = {};
  const dir = d.dir;
  if (goTemplate) {
    const p = { path: dir, basename: d.basename, basenameNormalized: d.basenameNormalized, segments: dir.split('/') };
    if (prefix !== '') params[prefix] = { path: p };
    else params['path'] = p;
    return params;
  }
  const name = prefix !== '' ? `${prefix}.path` : 'path';
  params[name] = dir;
  params[`${name}.basename`] = d.basename;
  params[`${name}.basenameNormalized`] = d.basenameNormalized;
  dir.split('/').forEach((seg, i) => {
    if (seg !== '') params[`${name}[${i}]`] = seg;
  });
  return params;
}

/** Go's path.Dir: '.' for a top-level file. */
function goDir(p: string): string {
  const d = dirname(p);
  return d === '' ? '.' : d;
}

/** Path parameters of a file (files): its folder, the folder's base name, the file name, and the segments. */
function fileParams(file: string, object: Record<string, unknown>, prefix: string, goTemplate: boolean): Params {
  const dir = goDir(file);
  const params: Params = {};
  if (goTemplate) {
    Object.assign(params, object);
    const p = {
      path: dir,
      basename: basename(dir),
      filename: basename(file),
      basenameNormalized: sanitizeName(basename(dir)),
      filenameNormalized: sanitizeName(basename(file)),
      segments: dir.split('/'),
    };
    if (prefix !== '') params[prefix] = { path: p };
    else params['path'] = p;
    return params;
  }
  for (const [k, v] of flattenDotted(object)) params[k] = goSprintV(v);
  const name = prefix !== '' ? `${prefix}.path` : 'path';
  params[name] = dir;
  params[`${name}.basename`] = basename(dir);
  params[`${name}.filename`] = basename(file);
  params[`${name}.basenameNormalized`] = sanitizeName(basename(dir));
  params[`${name}.filenameNormalized`] = sanitizeName(basename(file));
  dir.split('/').forEach((seg, i) => {
    if (seg !== '') params[`${name}[${i}]`] = seg;
  });
  return params;
}

/**
 * Parses a git files generator file as sigs.k8s.io/yaml does: one map (an empty file is an empty map) or a list of
 * maps; throws with the parser's message otherwise.
 */
export function parseGitFile(text: string): Record<string, unknown>[] {
  const tooBig = yamlSizeError(text);
  if (tooBig) throw new Error(`error converting YAML to JSON: ${tooBig}`);
  const docs = parseAllDocuments(text, { version: '1.1', merge: true, uniqueKeys: false });
  const doc = Array.isArray(docs) ? docs[0] : docs;
  if (!doc) return [{}];
  const err = doc.errors[0];
  if (err) throw new Error(`error converting YAML to JSON: ${err.message.split('\n')[0]}`);
  let value: unknown;
  try {
    value = doc.toJS(YAML_TO_JS);
  } catch (e) {
    throw new Error(`error converting YAML to JSON: ${yamlLimitMessage((e as Error).message)}`, { cause: e });
  }
  if (value === null || value === undefined) return [{}];
  if (isPlainObject(value)) return [jsonKeys(value) as Record<string, unknown>];
  if (Array.isArray(value)) {
    const bad = value.find((v) => !isPlainObject(v) && v !== null);
    if (bad === undefined) return value.map((v) => (isPlainObject(v) ? (jsonKeys(v) as Record<string, unknown>) : {}));
    throw new Error(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${goJsonType(bad)} into Go value of type map[string]interface {}`);
  }
  throw new Error(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${goJsonType(value)} into Go value of type []map[string]interface {}`);
}

function goJsonType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'array' : 'object';
}

/** YAML keys become JSON strings (sigs.k8s.io/yaml); dates become their text. */
function jsonKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(jsonKeys);
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of v) out[String(k)] = jsonKeys(item);
    return out;
  }
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) out[k] = jsonKeys(item);
    return out;
  }
  return v;
}

function openTree(ctx: AppSetContext, repoURL: string, revision: string): FileTree {
  return ctx.git.treeAt(repoURL, revision === '' ? 'HEAD' : revision);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The git generator: `directories` (one parameter set per folder matching a `path.Match` pattern, `exclude` entries
 * win) or `files` (one per map in each JSON/YAML file a glob finds, include globs merged, exclude globs removed),
 * read from git objects at `revision` through ctx.git.
 */
export const gitGenerator: GeneratorFn = (gen, info, ctx): GenerateResult => {
  const mode: TemplateMode = { goTemplate: info.goTemplate, goTemplateOptions: info.goTemplateOptions };
  const repoURL = typeof gen['repoURL'] === 'string' ? gen['repoURL'] : '';
  const revision = typeof gen['revision'] === 'string' ? gen['revision'] : '';
  const prefix = typeof gen['pathParamPrefix'] === 'string' ? gen['pathParamPrefix'] : '';
  const values = generatorValues(gen);
  const dirs = pathItems(gen['directories']);
  const files = pathItems(gen['files']);
  const issues: GeneratorIssue[] = [];
  const params: ParamSet[] = [];
  const at = `${repoURL}@${revision || 'HEAD'}`;
  const push = (p: Params, element: string): void => {
    try {
      params.push({ params: withValues(values, p, mode), path: PATH });
    } catch (err) {
      issues.push(issue(`${WRAP}failed to append templated values: ${errorText(err)}`, PATH, element));
    }
  };

  if (dirs) {
    const compiled: { item: PathItem; re: RegExp }[] = [];
    for (const item of dirs) {
      try {
        compiled.push({ item, re: compileGoPathMatch(item.path) });
      } catch (err) {
        issues.push(issue(`${WRAP}${errorText(err)}`, PATH, `directories path '${item.path}'`));
      }
    }
    // Only an include can add a folder: folders deeper than every include's pattern are never listed.
    const maxDepth = Math.max(0, ...compiled.filter((c) => !c.item.exclude).map((c) => matchDepth(c.item.path)));
    let all: readonly string[];
    try {
      const rev = revision === '' ? 'HEAD' : revision;
      all = ctx.git.directoriesAt ? withoutDotFolders(ctx.git.directoriesAt(repoURL, rev)) : gitDirectories(openTree(ctx, repoURL, revision), maxDepth);
    } catch (err) {
      return { params: [], issues: [issue(`${WRAP}error getting directories from repo: ${errorText(err)}`, PATH, at)] };
    }
    const selection = selectDirectories(all, compiled, at);
    for (const d of selection.chosen) push(directoryParams(d, prefix, info.goTemplate), `directory ${d.dir}`);
    issues.push(...selection.warnings);
    return { params, issues };
  }

  if (files) {
    let tree: FileTree;
    let all: readonly string[];
    try {
      tree = openTree(ctx, repoURL, revision);
      // The files chosen are sorted below: any set holding every match will do.
      all = candidateFiles(tree, files.filter((f) => !f.exclude).map((f) => f.path));
    } catch (err) {
      return { params, issues: [issue(`${WRAP}${errorText(err)}`, PATH, at)] };
    }
    const matcher = (pattern: string): ((p: string) => boolean) => {
      if (ctx.gitFileGlobbing === 'doublestar') {
        const re = compileDoublestar(pattern.replace(/^\.?\//, ''));
        return (p) => re.test(p);
      }
      return compileGitPathspec(pattern);
    };
    const selected = new Set<string>();
    const excludes: ((p: string) => boolean)[] = [];
    for (const item of files) {
      let m: (p: string) => boolean;
      try {
        m = matcher(item.path);
      } catch (err) {
        issues.push(issue(`${WRAP}${errorText(err)}`, PATH, `files path '${item.path}'`));
        continue;
      }
      if (item.exclude) {
        excludes.push(m);
        continue;
      }
      const found = all.filter(m);
      if (found.length === 0) {
        issues.push({ severity: 'warning', message: `git files path '${item.path}' matches no file of ${at}`, path: PATH, element: `files path '${item.path}'` });
      }
      for (const f of found) selected.add(f);
    }
    const chosen = [...selected].filter((f) => !excludes.some((m) => m(f))).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const file of chosen) {
      const element = `file ${file}`;
      let objects: Record<string, unknown>[];
      try {
        objects = parseGitFile(tree.read(file) ?? '');
      } catch (err) {
        issues.push(issue(`${WRAP}unable to process file '${file}' from repository '${repoURL}': unable to parse file: ${errorText(err)}`, PATH, element));
        continue;
      }
      for (const o of objects) push(fileParams(file, o, prefix, info.goTemplate), element);
    }
    return { params, issues };
  }

  return { params, issues: [issue('git generator needs `directories` or `files`', PATH)] };
};
