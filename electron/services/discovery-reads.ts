// Grid inputs that survive a commit which changes nothing discovery read. The grid cache keeps, beside the inputs of a
// commit, what discovery read of its tree (TreeReads); after a new commit, one bounded `git diff-tree` says which paths
// changed, and when none of them touches what was read, discovery at the new HEAD would find the very same apps: the
// kept inputs are the new HEAD's, without generating every app again. Anything git cannot answer (a commit pruned, a
// diff past its bounds) means only that they are not reused.

import type { TreeReads } from '../../shared/repo/tree-reads';
import { changeTouching } from '../../shared/repo/tree-reads';
import type { GitRepository } from './git-repo';
import type { GridCache, GridInputs, GridInputsKey } from './grid-cache';
import { resolvedAgain } from './grid-cache';

/** The bounds of the one git process that says what changed: past them, the inputs are not reused (discovery runs). */
export const DIFF_LIMITS = { timeoutMs: 2000, maxBytes: 8 * 1024 * 1024 } as const;

/** Grid inputs of HEAD now, with what discovery read to make them (kept with them, for the next commit). */
export interface InputsAtHead {
  readonly key: GridInputsKey;
  readonly inputs: GridInputs;
  readonly reads?: TreeReads;
}

/**
 * Whether any text of the inputs holds the commit's id, in full or shortened as Argo CD's build environment shortens it
 * (7 characters: ARGOCD_APP_REVISION_SHORT, and every longer prefix). A chance match only costs a discovery.
 */
export function mentionsCommit(inputs: GridInputs, sha: string): boolean {
  const short = sha.slice(0, 7);
  const has = (text: string): boolean => text.includes(short);
  if (inputs.clusters.some((c) => has(c.name) || has(c.environment))) return true;
  if (has(JSON.stringify(inputs.problems))) return true;
  return inputs.apps.some((a) => has(a.name) || has(a.appset) || has(a.origin) || (a.cluster !== undefined && has(a.cluster)) || Object.entries(a.labels).some(([k, v]) => has(k) || has(v)));
}

/**
 * The grid inputs of `head` from the cache: those kept for it, or those of an earlier commit when no path that
 * changed since touches what discovery read of it (re-keyed to `head`); undefined otherwise. Why git could not tell
 * what changed is said in the cache's log, never to the user.
 */
export async function inputsAtHead(cache: GridCache, repo: GitRepository, head: string, resolve: (revision: string) => string | null): Promise<InputsAtHead | undefined> {
  const found = await cache.inputs({ repo: repo.root, head }, resolve);
  if (!found || found.exact) return found;
  // What discovery made may name its commit without reading any path: a rendered app of apps stamped with
  // $ARGOCD_APP_REVISION (kustomize commonLabels, images), a problem naming the revision. Such inputs are that commit's.
  if (mentionsCommit(found.inputs, found.key.head)) return undefined;
  try {
    // A file the scan found holds no document it looks for counts only if its new text may (read by its new blob's id).
    const changes = await repo.treeChanges(found.key.head, head, DIFF_LIMITS);
    if (changeTouching(found.reads, changes, (c) => (c.objects ? repo.blobText(c.objects[1]) : undefined))) return undefined;
  } catch (err) {
    cache.report(new Error(`the app list of ${found.key.head.slice(0, 12)} is not reused for ${head.slice(0, 12)}: git could not say what changed (${(err instanceof Error ? err.message : String(err)).slice(0, 300)})`));
    return undefined;
  }
  return { key: { repo: repo.root, head, revisions: resolvedAgain(Object.keys(found.key.revisions), resolve) }, inputs: found.inputs, reads: found.reads };
}
