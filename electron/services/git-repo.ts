import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type * as SimpleGitModule from 'simple-git';
import type { SimpleGit } from 'simple-git';
import { FlotillaError } from '../../shared/problem';
import type { FileTree } from '../../shared/repo/file-tree';
import type { TreeChange } from '../../shared/repo/tree-reads';
import type { GitObjectLink } from './git-object-reader';
import { GitObjectReader } from './git-object-reader';
import { GitTree } from './git-tree';
import type { GitDirs } from './head-memo';
import { HeadMemo } from './head-memo';
import { lazyModule } from './lazy-module';

/** The HEAD of a repository as the UI shows it. */
export interface HeadInfo {
  readonly sha: string;
  readonly short: string;
  readonly branch?: string;
  readonly subject?: string;
}

const MAX_BUFFER = 1024 * 1024 * 1024;
const execFileAsync = promisify(execFile);
const FULL_SHA = /^[0-9a-f]{40}$/;
/** Commit trees kept listed (each also caches the blobs it has read). */
const MAX_TREES = 8;
/** Resolved commit ids remembered (a long-lived process sees HEAD move: the set starts again past this). */
const MAX_COMMITS = 1024;

/** simple-git, loaded on first use: reading files and resolving revisions need only `git` itself. */
const simpleGitModule = lazyModule<typeof SimpleGitModule>('simple-git');

/** A local git repository: HEAD, revisions, and file trees read from git objects (never the working tree). */
export class GitRepository {
  private readonly trees = new Map<string, FileTree>();
  private readonly paths = new Map<string, Promise<readonly string[]>>();
  /** Full commit ids `git rev-parse` has named (a commit never stops being one): treeAt takes them without asking again. */
  private readonly commits = new Set<string>();
  private objects: GitObjectReader | undefined;

  private simple: SimpleGit | undefined;

  /** HEAD's commit as last resolved, while the files git keeps it in are unchanged (see head-memo.ts). */
  private readonly headMemo: HeadMemo | undefined;

  private constructor(
    /** Absolute path of the working tree's top level. */
    readonly root: string,
    dirs: GitDirs | undefined,
    /** Where objects are read: a git process another thread serves (hostGitObjects), else this repository's own. */
    private readonly objectLink?: GitObjectLink,
  ) {
    this.headMemo = dirs && new HeadMemo(dirs);
  }

  /** simple-git bound to the repository, for commits, pushes and worktrees. */
  get git(): SimpleGit {
    return (this.simple ??= simpleGitModule().simpleGit(this.root));
  }

  /**
   * Opens the repository at `dir`; a missing folder, a file, or a folder outside any git repo is a clear error naming
   * the path. `objects`: read git objects through a git process another thread serves (a render worker's).
   */
  static async open(dir: string, objects?: GitObjectLink): Promise<GitRepository> {
    const abs = path.resolve(dir);
    if (!existsSync(abs)) throw new FlotillaError({ severity: 'error', message: `repository folder does not exist: ${abs}` });
    if (!statSync(abs).isDirectory()) throw new FlotillaError({ severity: 'error', message: `not a folder: ${abs}` });
    let top: string;
    let dirs: GitDirs | undefined;
    try {
      const [shown, gitDir, commonDir] = execFileSync('git', ['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir'], { cwd: abs, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n');
      top = shown!.trim();
      // The common dir is said relative to the folder asked from, unless absolute.
      if (gitDir && commonDir) dirs = { gitDir, commonDir: path.resolve(abs, commonDir) };
    } catch {
      throw new FlotillaError({ severity: 'error', message: `not a git repository: ${abs} (run \`git init\` there, or pass --repo with a GitOps repository)` });
    }
    if (path.resolve(top) !== (await realpath(abs))) {
      throw new FlotillaError({ severity: 'error', message: `${abs} is inside the git repository ${top}; pass the repository's top folder (ApplicationSet and source paths are relative to it)` });
    }
    return new GitRepository(top, dirs, objects);
  }

  /** The top folder of the git repository holding `dir` (which may be a subfolder), or undefined outside any. */
  static topLevel(dir: string): string | undefined {
    try {
      return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: path.resolve(dir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * HEAD's commit, branch and subject; a repository with no commit yet is an error. `resolved`: HEAD's commit as the
   * caller has just resolved it (no second `git rev-parse`).
   */
  async head(resolved?: string): Promise<HeadInfo> {
    const sha = resolved ?? this.resolve('HEAD');
    if (!sha) throw new FlotillaError({ severity: 'error', message: `the repository has no commits yet: ${this.root}` });
    // Both at once, neither holding the event loop (a server answers other requests meanwhile).
    const [branch, subject] = (await Promise.all([this.gitAsync(['rev-parse', '--abbrev-ref', 'HEAD']), this.gitAsync(['log', '-1', '--format=%s', sha])])).map((out) => out.trim());
    return { sha, short: sha.slice(0, 7), ...(branch && branch !== 'HEAD' ? { branch } : {}), subject };
  }

  /** The commit a revision (branch, tag, sha, HEAD) names, or undefined when it does not exist. */
  resolve(revision: string): string | undefined {
    if (revision !== 'HEAD' || !this.headMemo) return this.revParse(revision);
    // One stamp serves both: the memo's check, and (taken before git is asked) what git's answer is remembered with.
    const stamp = this.headMemo.stamp();
    const known = this.headMemo.shaAt(stamp);
    if (known !== undefined) return known;
    const sha = this.revParse(revision);
    this.headMemo.set(stamp, sha);
    return sha;
  }

  /** The commit a revision names, as `git rev-parse` says now. */
  private revParse(revision: string): string | undefined {
    let sha: string | undefined;
    try {
      sha = this.gitSync(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).trim() || undefined;
    } catch {
      return undefined;
    }
    if (sha !== undefined && FULL_SHA.test(sha)) {
      if (this.commits.size >= MAX_COMMITS) this.commits.clear();
      this.commits.add(sha);
    }
    return sha;
  }

  /**
   * The files of a revision as read from git objects (cached per commit; blobs are read on first use). Throws a
   * FlotillaError for an unknown revision or a commit whose trees git cannot list.
   */
  treeAt(revision: string): FileTree {
    // A full commit id already listed needs no `git rev-parse`, nor one git named as a commit (HEAD's, resolved just before).
    const known = FULL_SHA.test(revision) ? this.trees.get(revision) : undefined;
    if (known) return known;
    const sha = this.commits.has(revision) ? revision : this.resolve(revision);
    if (!sha) throw new FlotillaError({ severity: 'error', message: `revision "${revision}" does not exist in ${this.root}${this.isShallow() ? ' (the repository is a shallow clone: `git fetch --unshallow` fetches the rest of its history)' : ''}` });
    const cached = this.trees.get(sha);
    if (cached) return cached;
    const tree = this.loadTree(sha, revision);
    // A long-lived process (the app, `flotilla serve`) sees HEAD move: keep the few latest commits' trees only.
    if (this.trees.size >= MAX_TREES) this.trees.delete(this.trees.keys().next().value!);
    this.trees.set(sha, tree);
    return tree;
  }

  /**
   * Every file path of a commit, from one `git ls-tree -r` (a 10,000-app fleet's 110,000 paths in ~0.15 s of CPU, where
   * walking the tree folder by folder reads every tree object through cat-file): for finding a few files by name
   * without listing each folder. Asynchronous: at that size git takes ~0.5 s, which must not hold the event loop (the
   * server asks for it as it starts, beside the first page load). Cached with the commit's tree.
   */
  filePaths(sha: string): Promise<readonly string[]> {
    const cached = this.paths.get(sha);
    if (cached) return cached;
    const listed = execFileAsync('git', ['ls-tree', '-r', '-z', '--name-only', '--full-tree', sha], { cwd: this.root, encoding: 'utf8', maxBuffer: MAX_BUFFER }).then(({ stdout }) => {
      const out = stdout.split('\0');
      if (out[out.length - 1] === '') out.pop();
      return out;
    });
    if (this.paths.size >= MAX_TREES) this.paths.delete(this.paths.keys().next().value!);
    this.paths.set(sha, listed);
    listed.catch(() => {
      if (this.paths.get(sha) === listed) this.paths.delete(sha);
    });
    return listed;
  }

  /**
   * Every path that differs between two commits' trees, folders included (`git diff-tree -r -t --raw --no-renames`),
   * from one git process bounded in time and output: past either bound, or for a commit git does not have, it throws.
   */
  async treeChanges(from: string, to: string, limits: { readonly timeoutMs: number; readonly maxBytes: number }): Promise<readonly TreeChange[]> {
    if (!FULL_SHA.test(from) || !FULL_SHA.test(to)) throw new Error(`not commit ids: ${from} ${to}`);
    const { stdout } = await execFileAsync('git', ['diff-tree', '-r', '-t', '--raw', '--no-renames', '--no-abbrev', '-z', from, to], { cwd: this.root, encoding: 'utf8', maxBuffer: limits.maxBytes, timeout: limits.timeoutMs, killSignal: 'SIGKILL' });
    // `:<mode> <mode> <object> <object> <status>` NUL `<path>` NUL, per entry.
    const fields = stdout.split('\0');
    const out: TreeChange[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const meta = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/.exec(fields[i]!);
      if (!meta) throw new Error(`git diff-tree said something unexpected: ${JSON.stringify(fields[i]!.slice(0, 80))}`);
      out.push({ status: meta[5]!, path: fields[i + 1]!, modes: [meta[1]!, meta[2]!], objects: [meta[3]!, meta[4]!] });
    }
    return out;
  }

  /** The text of one blob by its object id (read through the long-lived cat-file process); undefined when it is missing or not a blob. */
  blobText(oid: string): string | undefined {
    if (!FULL_SHA.test(oid)) return undefined;
    const [reply] = (this.objects ??= new GitObjectReader(this.root, this.objectLink)).read([oid]);
    return reply?.kind === 'object' && reply.type === 'blob' ? new TextDecoder().decode(reply.data) : undefined;
  }

  /**
   * Starts the git process that reads objects (and its worker thread) without waiting for them: a command about to
   * read files calls it first, so that they start while it runs its other git commands.
   */
  warmObjects(): void {
    (this.objects ??= new GitObjectReader(this.root, this.objectLink)).warm();
  }

  /** Stops the git process that reads blobs (it also stops by itself after a few idle seconds). */
  close(): void {
    this.objects?.close();
  }

  /** The URL of the `origin` remote, when there is one. */
  originUrl(): string | undefined {
    try {
      return this.gitSync(['config', '--get', 'remote.origin.url']).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Who the repository is, whatever folder or clone it is opened from: `git:<root commit>` (the oldest commit without
   * parents reachable from HEAD), or `path:<folder>` before the first commit. Promotion history is kept under it.
   */
  identity(): string {
    try {
      const roots = this.gitSync(['rev-list', '--max-parents=0', 'HEAD']).trim().split('\n').filter(Boolean);
      if (roots.length > 0) return `git:${roots[roots.length - 1]}`;
    } catch {
      // no commit yet
    }
    return `path:${this.root}`;
  }

  /** Whether the repository holds this commit (after a fetch, the remote's commits too). */
  hasCommit(sha: string): boolean {
    if (!/^[0-9a-f]{4,64}$/i.test(sha)) return false;
    try {
      this.gitSync(['cat-file', '-e', `${sha}^{commit}`]);
      return true;
    } catch {
      return false;
    }
  }

  /** Whether `ancestor` is `descendant` or one of its ancestors (both must exist). */
  isAncestor(ancestor: string, descendant: string): boolean {
    try {
      this.gitSync(['merge-base', '--is-ancestor', ancestor, descendant]);
      return true;
    } catch {
      return false;
    }
  }

  private loadTree(sha: string, label: string): FileTree {
    // Folders are read from git objects as they are looked into, through the reader's long-lived git process: no
    // listing of every file of the commit (at 10,000 apps, ~170,000 of them) before the first read.
    const objects = (this.objects ??= new GitObjectReader(this.root, this.objectLink));
    const fail = (why: string): FlotillaError => new FlotillaError({ severity: 'error', message: `cannot list the files of revision ${label === sha ? sha : `${label} (${sha.slice(0, 12)})`} in ${this.root}: ${why}` });
    const [commit] = objects.read([sha]);
    if (commit?.kind !== 'object' || commit.type !== 'commit') {
      throw fail(commit?.kind === 'missing' ? `the commit ${sha} is missing from the repository` : commit?.kind === 'object' ? `${sha} is a ${commit.type}, not a commit` : (commit?.message ?? 'git did not return the commit'));
    }
    const tree = /^tree ([0-9a-f]{40}|[0-9a-f]{64})\n/.exec(Buffer.from(commit.data.buffer, commit.data.byteOffset, commit.data.byteLength).toString('latin1', 0, 80))?.[1];
    if (tree === undefined) throw fail(`the commit ${sha} names no tree`);
    try {
      return new GitTree(tree, sha, label, objects);
    } catch (err) {
      if (err instanceof FlotillaError) throw fail(err.problem.message);
      throw err;
    }
  }

  private isShallow(): boolean {
    try {
      return this.gitSync(['rev-parse', '--is-shallow-repository']).trim() === 'true';
    } catch {
      return false;
    }
  }

  private async gitAsync(args: string[]): Promise<string> {
    return (await execFileAsync('git', args, { cwd: this.root, encoding: 'utf8', maxBuffer: MAX_BUFFER })).stdout;
  }

  private gitSync(args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8', maxBuffer: MAX_BUFFER, stdio: ['ignore', 'pipe', 'pipe'] });
  }
}
