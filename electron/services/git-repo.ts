import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { SimpleGit } from 'simple-git';
import { simpleGit } from 'simple-git';
import { FlotillaError } from '../../shared/problem';
import type { FileTree } from '../../shared/repo/file-tree';
import { MemoryFileTree } from '../../shared/repo/file-tree';

/** The HEAD of a repository as the UI shows it. */
export interface HeadInfo {
  readonly sha: string;
  readonly short: string;
  readonly branch?: string;
  readonly subject?: string;
}

const MAX_BUFFER = 1024 * 1024 * 1024;

/** A local git repository: HEAD, revisions, and file trees read from git objects (never the working tree). */
export class GitRepository {
  private readonly trees = new Map<string, FileTree>();

  private constructor(
    /** Absolute path of the working tree's top level. */
    readonly root: string,
    /** simple-git bound to the repository, for commits, pushes and worktrees. */
    readonly git: SimpleGit,
  ) {}

  /** Opens the repository at `dir`; a missing folder, a file, or a folder outside any git repo is a clear error naming the path. */
  static async open(dir: string): Promise<GitRepository> {
    const abs = path.resolve(dir);
    if (!existsSync(abs)) throw new FlotillaError({ severity: 'error', message: `repository folder does not exist: ${abs}` });
    if (!statSync(abs).isDirectory()) throw new FlotillaError({ severity: 'error', message: `not a folder: ${abs}` });
    const git = simpleGit(abs);
    let top: string;
    try {
      top = (await git.revparse(['--show-toplevel'])).trim();
    } catch {
      throw new FlotillaError({ severity: 'error', message: `not a git repository: ${abs} (run \`git init\` there, or pass --repo with a GitOps repository)` });
    }
    if (path.resolve(top) !== (await realpath(abs))) {
      throw new FlotillaError({ severity: 'error', message: `${abs} is inside the git repository ${top}; pass the repository's top folder (ApplicationSet and source paths are relative to it)` });
    }
    return new GitRepository(top, simpleGit(top));
  }

  /** The top folder of the git repository holding `dir` (which may be a subfolder), or undefined outside any. */
  static topLevel(dir: string): string | undefined {
    try {
      return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: path.resolve(dir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** HEAD's commit, branch and subject; a repository with no commit yet is an error. */
  async head(): Promise<HeadInfo> {
    const sha = this.resolve('HEAD');
    if (!sha) throw new FlotillaError({ severity: 'error', message: `the repository has no commits yet: ${this.root}` });
    const branch = this.gitSync(['rev-parse', '--abbrev-ref', 'HEAD']).trim();
    const subject = this.gitSync(['log', '-1', '--format=%s', sha]).trim();
    return { sha, short: sha.slice(0, 7), ...(branch && branch !== 'HEAD' ? { branch } : {}), subject };
  }

  /** The commit a revision (branch, tag, sha, HEAD) names, or undefined when it does not exist. */
  resolve(revision: string): string | undefined {
    try {
      return this.gitSync(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** The files of a revision as read from git objects (cached per commit). Throws a FlotillaError for an unknown revision. */
  treeAt(revision: string): FileTree {
    const sha = this.resolve(revision);
    if (!sha) throw new FlotillaError({ severity: 'error', message: `revision "${revision}" does not exist in ${this.root}` });
    const cached = this.trees.get(sha);
    if (cached) return cached;
    const tree = this.loadTree(sha);
    this.trees.set(sha, tree);
    return tree;
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

  private loadTree(sha: string): FileTree {
    const listing = this.gitSync(['ls-tree', '-r', '-z', '--full-tree', sha]);
    const blobs: { sha: string; path: string }[] = [];
    for (const entry of listing.split('\0')) {
      if (!entry) continue;
      const tab = entry.indexOf('\t');
      const [, type, objectSha] = entry.slice(0, tab).split(' ');
      if (type === 'blob' && objectSha) blobs.push({ sha: objectSha, path: entry.slice(tab + 1) });
    }
    const tree = new MemoryFileTree({}, sha);
    if (blobs.length === 0) return tree;
    const out = execFileSync('git', ['cat-file', '--batch'], { cwd: this.root, input: blobs.map((b) => b.sha).join('\n') + '\n', maxBuffer: MAX_BUFFER });
    let pos = 0;
    for (const blob of blobs) {
      const nl = out.indexOf(10, pos);
      const header = out.subarray(pos, nl).toString('utf8').split(' ');
      const size = Number(header[2]);
      const content = out.subarray(nl + 1, nl + 1 + size);
      tree.set(blob.path, new Uint8Array(content));
      pos = nl + 1 + size + 1;
    }
    return tree;
  }

  private gitSync(args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8', maxBuffer: MAX_BUFFER, stdio: ['ignore', 'pipe', 'pipe'] });
  }
}
