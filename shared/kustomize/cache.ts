/** A cache of kustomize builds keyed by folder, invalidated precisely by the files each build read. */
import type { FileTree } from '../repo/file-tree';
import type { KustomizeOptions, KustomizeResult } from './build';
import { kustomizeBuild } from './build';

/**
 * Caches `kustomizeBuild` results per (folder, options). Each entry remembers every file its build read (or looked
 * for); `invalidate(changedPaths)` drops exactly the entries that depend on them, so after one base file changes
 * only the overlays built from it are rendered again.
 */
export class KustomizeCache {
  private readonly entries = new Map<string, KustomizeResult>();
  /** file → keys of the builds that read it. */
  private readonly dependents = new Map<string, Set<string>>();

  constructor(private readonly options: KustomizeOptions = {}) {}

  /** The build of `path`, from the cache when nothing it read has changed since (entries are per tree revision). */
  build(tree: FileTree, path: string): KustomizeResult {
    // A tree that changes a few paths of its commit (a generated kustomization) would share its commit's key: not kept.
    if (tree.overlayOf) return kustomizeBuild(tree, path, this.options);
    const key = tree.revision ? `${path}@${tree.revision}` : path;
    const hit = this.entries.get(key);
    if (hit) return hit;
    const result = kustomizeBuild(tree, path, this.options);
    this.entries.set(key, result);
    for (const f of result.files) {
      let s = this.dependents.get(f);
      if (!s) {
        s = new Set();
        this.dependents.set(f, s);
      }
      s.add(key);
    }
    return result;
  }

  /**
   * Drops the builds that read any of the changed (added, edited or removed) files, or looked into a folder above
   * them; returns the cache keys (folder, or `folder@revision`) that must be rendered again.
   */
  invalidate(changedPaths: Iterable<string>): string[] {
    const stale = new Set<string>();
    for (const p of changedPaths) {
      // The file itself, and the folders above it: a build that listed or looked up a folder (a directory app, a
      // base, a local Helm chart) depends on what is added to or removed from it.
      let cur: string | undefined = p;
      while (cur !== undefined) {
        for (const key of this.dependents.get(cur) ?? []) stale.add(key);
        cur = cur === '' ? undefined : cur.includes('/') ? cur.slice(0, cur.lastIndexOf('/')) : '';
      }
    }
    for (const key of stale) {
      const r = this.entries.get(key);
      this.entries.delete(key);
      for (const f of r?.files ?? []) this.dependents.get(f)?.delete(key);
    }
    return [...stale].sort();
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
    this.dependents.clear();
  }

  /** How many builds are cached. */
  get size(): number {
    return this.entries.size;
  }
}
