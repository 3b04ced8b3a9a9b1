import type { FileTree } from '../../shared/repo/file-tree';

// Finding an Argo CD ConfigMap kept in the repository (argocd-notifications-cm, argocd-rbac-cm) without reading
// every manifest: only YAML files whose path names the concept are opened.

const MAX_FILES = 5000;

/**
 * The first YAML file (breadth first) whose path matches `pathHint` and that holds `kind: ConfigMap` named `name`.
 * `paths`, every file path of the tree (`GitRepository.filePaths`), spares the walk of every folder (at 10,000 apps
 * the walk read 30,000 tree objects: 3.4 s of CPU for a ConfigMap most repositories do not have).
 */
export function findConfigMapInTree(tree: FileTree, name: string, pathHint: RegExp, paths?: readonly string[]): string | undefined {
  const candidates = paths ? candidatesOf(paths, pathHint) : walkCandidates(tree, pathHint);
  for (const p of candidates) {
    const text = tree.read(p);
    if (text?.includes(name) && /\bkind:\s*ConfigMap\b/.test(text)) return p;
  }
  return undefined;
}

/** Whether a file is one to open: YAML, its path naming the concept, under no hidden folder nor node_modules. */
function isCandidate(p: string, pathHint: RegExp): boolean {
  if (!/\.ya?ml$/.test(p) || !pathHint.test(p)) return false;
  return p.split('/').every((s) => !s.startsWith('.') && s !== 'node_modules');
}

/** The candidates among a tree's paths, in the order of a breadth-first walk (shallower first, then by name per folder). */
function candidatesOf(paths: readonly string[], pathHint: RegExp): string[] {
  const found = paths.filter((p) => isCandidate(p, pathHint)).map((p) => ({ p, parts: p.split('/') }));
  found.sort((a, b) => a.parts.length - b.parts.length || compareParts(a.parts, b.parts));
  return found.slice(0, MAX_FILES).map((f) => f.p);
}

/** Paths of one depth in the walk's order: folder by folder, each listed in name order (as `FileTree.list` lists). */
function compareParts(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** The candidates found by listing every folder breadth first (a tree without a path list: the working tree). */
function* walkCandidates(tree: FileTree, pathHint: RegExp): Generator<string> {
  const queue = [''];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_FILES) {
    const dir = queue.shift()!;
    for (const e of tree.list(dir) ?? []) {
      const p = dir ? `${dir}/${e.name}` : e.name;
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      if (tree.kind(p) === 'dir') queue.push(p);
      else if (isCandidate(p, pathHint) && ++seen) yield p;
    }
  }
}
