import type { FileTree } from '../repo/file-tree';
import { resolveInTree } from '../repo/file-tree';
import { dirname } from '../repo/paths';

/** Where a symbolic link leads: the real path inside the tree (undefined when dangling), or `outside` when it leaves it. */
export interface ResolvedLink {
  readonly path?: string;
  readonly outside: boolean;
}

/**
 * Follows the link at `path` (and any link on the way) as `filepath.EvalSymlinks` would, inside the tree: an absolute
 * target, one climbing above the repository root, or a loop is `outside`; a target that does not exist is dangling.
 */
export function resolveLink(tree: FileTree, path: string): ResolvedLink {
  const target = tree.readLink?.(path);
  if (target === undefined) return { path, outside: false };
  if (target.startsWith('/')) return { outside: true };
  const joined = dirname(path) === '' ? target : `${dirname(path)}/${target}`;
  const real = resolveInTree(joined, (p) => tree.readLink?.(p));
  if (real === undefined) return { outside: true };
  return tree.kind(real) === undefined ? { outside: false } : { path: real, outside: false };
}
