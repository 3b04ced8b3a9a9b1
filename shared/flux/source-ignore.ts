import type { DirEntry, FileTree, LinkResolution } from '../repo/file-tree';
import { normalizePath } from '../repo/paths';

// What source-controller leaves out of a GitRepository artifact (fluxcd/pkg/sourceignore): VCS files, CI files,
// images and archives, `**/.sops.yaml`, `**/.flux.yaml`…, then the patterns of every `.sourceignore` file (each
// relative to its own folder) and the GitRepository's `spec.ignore`. Patterns follow go-git's gitignore rules; the
// last pattern that matches decides (a `!pattern` puts a path back).

const EXCLUDE_VCS = '.git/,.gitignore,.gitmodules,.gitattributes';
const EXCLUDE_EXT = '*.jpg,*.jpeg,*.gif,*.png,*.wmv,*.flv,*.tar.gz,*.zip';
const EXCLUDE_CI = '.github/,.circleci/,.travis.yml,.gitlab-ci.yml,appveyor.yml,.drone.yml,cloudbuild.yaml,codeship-services.yml,codeship-steps.yml';
const EXCLUDE_EXTRA = '**/.goreleaser.yml,**/.sops.yaml,**/.flux.yaml';

/** The name of the ignore file source-controller reads in every folder. */
export const SOURCE_IGNORE_FILE = '.sourceignore';

/** One gitignore pattern with the folder (as path segments) it applies below. */
interface IgnorePattern {
  readonly domain: readonly string[];
  readonly pattern: readonly string[];
  readonly inclusion: boolean;
  readonly dirOnly: boolean;
  readonly isGlob: boolean;
}

/** Go's filepath.Match for one path segment. */
function segmentMatch(pattern: string, name: string): boolean {
  // A pattern without metacharacters is the name itself; others are compiled once (every file of every artifact is
  // matched against the same few patterns).
  if (!/[*?[\\]/.test(pattern)) return pattern === name;
  let re = COMPILED.get(pattern);
  if (re === undefined) COMPILED.set(pattern, (re = compileSegment(pattern)));
  return re !== null && re.test(name);
}

/** Compiled segment patterns (null: a pattern that matches nothing, as Go's ErrBadPattern). */
const COMPILED = new Map<string, RegExp | null>();

function compileSegment(pattern: string): RegExp | null {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return null;
      const body = pattern.slice(i + 1, end);
      re += `[${body.startsWith('^') ? `^${body.slice(1)}` : body}]`.replace(/\\(?![\]^-])/g, '\\\\');
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`, 'su');
  } catch {
    return null;
  }
}

/** Parses one pattern (go-git's gitignore.ParsePattern). */
function parsePattern(text: string, domain: readonly string[]): IgnorePattern {
  let p = text;
  let inclusion = false;
  if (p.startsWith('!')) {
    inclusion = true;
    p = p.slice(1);
  }
  if (!p.endsWith('\\ ')) p = p.replace(/ +$/, '');
  let dirOnly = false;
  if (p.endsWith('/')) {
    dirOnly = true;
    p = p.slice(0, -1);
  }
  return { domain: [...domain], pattern: p.split('/'), inclusion, dirOnly, isGlob: p.includes('/') };
}

function simpleNameMatch(p: IgnorePattern, path: readonly string[], isDir: boolean): boolean {
  for (let i = 0; i < path.length; i++) {
    if (!segmentMatch(p.pattern[0]!, path[i]!)) continue;
    if (p.dirOnly && !isDir && i === path.length - 1) return false;
    return true;
  }
  return false;
}

function globMatch(p: IgnorePattern, full: readonly string[], isDir: boolean): boolean {
  let path = full;
  let matched = false;
  let canTraverse = false;
  for (let i = 0; i < p.pattern.length; i++) {
    const pat = p.pattern[i]!;
    if (pat === '') {
      canTraverse = false;
      continue;
    }
    if (pat === '**') {
      if (i === p.pattern.length - 1) break;
      canTraverse = true;
      continue;
    }
    if (pat.includes('**')) return false;
    if (path.length === 0) return false;
    if (canTraverse) {
      canTraverse = false;
      while (path.length > 0) {
        const e = path[0]!;
        path = path.slice(1);
        if (segmentMatch(pat, e)) {
          matched = true;
          break;
        } else if (path.length === 0) matched = false;
      }
    } else {
      if (!segmentMatch(pat, path[0]!)) return false;
      matched = true;
      path = path.slice(1);
    }
  }
  if (matched && p.dirOnly && !isDir && path.length === 0) matched = false;
  return matched;
}

function patternMatch(p: IgnorePattern, path: readonly string[], isDir: boolean): 'none' | 'exclude' | 'include' {
  if (path.length <= p.domain.length) return 'none';
  for (let i = 0; i < p.domain.length; i++) if (path[i] !== p.domain[i]) return 'none';
  const rest = path.slice(p.domain.length);
  if (!(p.isGlob ? globMatch(p, rest, isDir) : simpleNameMatch(p, rest, isDir))) return 'none';
  return p.inclusion ? 'include' : 'exclude';
}

/** Reads gitignore-style lines (comments and blank lines skipped). */
function readPatterns(text: string, domain: readonly string[]): IgnorePattern[] {
  return text
    .split(/\r?\n/)
    .filter((s) => !s.startsWith('#') && s.trim().length > 0)
    .map((s) => parsePattern(s, domain));
}

/** Decides which paths of a repository source-controller leaves out of the artifact. */
export class SourceIgnore {
  private readonly patterns: IgnorePattern[];

  /** The default exclusions, every `.sourceignore` of `tree` and the GitRepository's `spec.ignore` lines. */
  constructor(tree: FileTree, ignore?: string) {
    const own: IgnorePattern[] = [];
    const load = (dir: string, domain: string[]): void => {
      const file = dir === '' ? SOURCE_IGNORE_FILE : `${dir}/${SOURCE_IGNORE_FILE}`;
      const text = tree.kind(file) === 'file' ? tree.read(file) : undefined;
      if (text !== undefined) own.push(...readPatterns(text, domain));
      for (const e of tree.list(dir) ?? []) if (e.kind === 'dir' && e.name !== '.git') load(dir === '' ? e.name : `${dir}/${e.name}`, [...domain, e.name]);
    };
    load('', []);
    if (ignore) own.push(...readPatterns(ignore, []));
    const vcs = EXCLUDE_VCS.split(',').map((p) => parsePattern(p, []));
    const defaults = [EXCLUDE_EXT, EXCLUDE_CI, EXCLUDE_EXTRA].join(',').split(',').map((p) => parsePattern(p, []));
    // With any own pattern, source-controller puts the VCS patterns in front once more (harmless, kept for fidelity).
    this.patterns = [...vcs, ...defaults, ...(own.length > 0 ? [...vcs, ...own] : [])];
  }

  /** Whether the repo-relative path is left out. */
  ignores(path: string, isDir: boolean): boolean {
    const segs = path.split('/');
    for (let i = this.patterns.length - 1; i >= 0; i--) {
      const m = patternMatch(this.patterns[i]!, segs, isDir);
      if (m !== 'none') return m === 'exclude';
    }
    return false;
  }
}

/** A repository as its GitRepository artifact: the same tree with source-controller's exclusions hidden. */
export class ArtifactFileTree implements FileTree {
  private readonly ignore: SourceIgnore;
  private readonly hidden = new Map<string, boolean>();
  private readonly hiddenFolders = new Map<string, boolean>();

  constructor(
    private readonly base: FileTree,
    ignore?: string,
  ) {
    this.ignore = new SourceIgnore(base, ignore);
  }

  get revision(): string | undefined {
    return this.base.revision;
  }

  /** Whether the path, or a folder above it, is excluded from the artifact (the archive walk skips excluded folders). */
  private isHidden(path: string): boolean {
    const cached = this.hidden.get(path);
    if (cached !== undefined) return cached;
    const cut = path.lastIndexOf('/');
    const hidden = (cut > 0 && this.isHiddenFolder(path.slice(0, cut))) || this.ignore.ignores(path, this.base.kind(path) === 'dir');
    this.hidden.set(path, hidden);
    return hidden;
  }

  /** Whether a folder on the way to a path is excluded (or one above it), judged as a folder; remembered per folder. */
  private isHiddenFolder(dir: string): boolean {
    const cached = this.hiddenFolders.get(dir);
    if (cached !== undefined) return cached;
    const cut = dir.lastIndexOf('/');
    const hidden = (cut > 0 && this.isHiddenFolder(dir.slice(0, cut))) || this.ignore.ignores(dir, true);
    this.hiddenFolders.set(dir, hidden);
    return hidden;
  }

  private visible(path: string): string | undefined {
    const n = normalizePath(path);
    if (n === undefined) return undefined;
    return n === '' || !this.isHidden(n) ? n : undefined;
  }

  read(path: string): string | undefined {
    const n = this.visible(path);
    return n === undefined ? undefined : this.base.read(n);
  }

  readBytes(path: string): Uint8Array | undefined {
    const n = this.visible(path);
    return n === undefined ? undefined : this.base.readBytes(n);
  }

  list(path: string): readonly DirEntry[] | undefined {
    const n = this.visible(path);
    if (n === undefined) return undefined;
    return this.base.list(n)?.filter((e) => !this.isHidden(n === '' ? e.name : `${n}/${e.name}`));
  }

  kind(path: string): 'file' | 'dir' | undefined {
    const n = this.visible(path);
    return n === undefined ? undefined : this.base.kind(n);
  }

  readLink(path: string): string | undefined {
    const n = this.visible(path);
    return n === undefined ? undefined : this.base.readLink?.(n);
  }

  resolveLinks(path: string): LinkResolution | undefined {
    const n = this.visible(path);
    if (n === undefined) return undefined;
    const r = this.base.resolveLinks ? this.base.resolveLinks(n) : { path: n };
    return r && 'path' in r && this.visible(r.path) === undefined ? undefined : r;
  }
}

const ARTIFACTS = new WeakMap<FileTree, Map<string, ArtifactFileTree>>();

/**
 * The artifact of `tree` (filtered with `ignore`), one per tree and ignore text: every Flux app of a commit reading the
 * same GitRepository shares it, so the `.sourceignore` walk and the per-path verdicts are made once, not per app.
 */
export function artifactOf(tree: FileTree, ignore?: string): ArtifactFileTree {
  let byIgnore = ARTIFACTS.get(tree);
  if (!byIgnore) ARTIFACTS.set(tree, (byIgnore = new Map()));
  const key = ignore ?? '';
  let artifact = byIgnore.get(key);
  if (!artifact) byIgnore.set(key, (artifact = new ArtifactFileTree(tree, ignore)));
  return artifact;
}
