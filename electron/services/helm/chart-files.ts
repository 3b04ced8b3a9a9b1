import { parse } from 'yaml';
import type { FileTree } from '../../../shared/repo/file-tree';
import { walkFiles } from '../../../shared/repo/file-tree';
import { normalizePath } from '../../../shared/repo/paths';

/** The files a chart needs from its repository: its own folder and every `file://` dependency's folder, by repo path. */
export interface ChartFiles {
  /** Repo-relative path → content, sorted by path. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** Whether a chart (the top one or a local dependency) declares dependencies, so `helm dependency build` may be needed. */
  readonly hasDependencies: boolean;
}

/** A local dependency that cannot be read: outside the repository, or no chart there. */
export class ChartDependencyError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

/**
 * Reads a chart folder from a tree with its local dependencies (`repository: file://../x` in Chart.yaml or
 * requirements.yaml, followed recursively), as `helm template` and `helm dependency build` would read them from a
 * checkout. A dependency leaving the repository is refused.
 */
export function collectChartFiles(tree: FileTree, chartPath: string): ChartFiles {
  const files = new Map<string, Uint8Array>();
  const seen = new Set<string>();
  let hasDependencies = false;
  const visit = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    for (const f of walkFiles(tree, dir)) files.set(f, tree.readBytes(f) ?? new Uint8Array());
    for (const manifest of ['Chart.yaml', 'requirements.yaml']) {
      const file = dir === '' ? manifest : `${dir}/${manifest}`;
      const text = tree.read(file);
      if (text === undefined) continue;
      let doc: unknown;
      try {
        doc = parse(text);
      } catch {
        continue; // helm reports a Chart.yaml that does not parse, with its own words
      }
      const deps = (doc as { dependencies?: unknown } | null)?.dependencies;
      if (!Array.isArray(deps)) continue;
      if (deps.length > 0) hasDependencies = true;
      for (const d of deps) {
        const repo = (d as { repository?: unknown } | null)?.repository;
        if (typeof repo !== 'string' || !repo.startsWith('file://')) continue;
        const rel = repo.slice('file://'.length);
        const target = rel.startsWith('/') ? undefined : normalizePath(`${dir}/${rel}`);
        if (target === undefined) throw new ChartDependencyError(`chart dependency ${repo} is outside the repository`, file);
        if (tree.kind(target) !== 'dir') throw new ChartDependencyError(`chart dependency ${repo}: no folder ${target} in the repository`, file);
        visit(target);
      }
    }
  };
  visit(chartPath);
  return { files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), hasDependencies };
}
