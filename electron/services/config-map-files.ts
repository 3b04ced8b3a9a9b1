import type { FileTree } from '../../shared/repo/file-tree';

// Finding an Argo CD ConfigMap kept in the repository (argocd-notifications-cm, argocd-rbac-cm) without reading
// every manifest: only YAML files whose path names the concept are opened.

const MAX_FILES = 5000;

/** The first YAML file (breadth first) whose path matches `pathHint` and that holds `kind: ConfigMap` named `name`. */
export function findConfigMapInTree(tree: FileTree, name: string, pathHint: RegExp): string | undefined {
  const queue = [''];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_FILES) {
    const dir = queue.shift()!;
    for (const e of tree.list(dir) ?? []) {
      const p = dir ? `${dir}/${e.name}` : e.name;
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      if (tree.kind(p) === 'dir') queue.push(p);
      // Only files named for the concept are read: a refresh of a large fleet must not read every manifest.
      else if (/\.ya?ml$/.test(e.name) && pathHint.test(p) && ++seen && tree.read(p)?.includes(name)) {
        const text = tree.read(p)!;
        if (/\bkind:\s*ConfigMap\b/.test(text)) return p;
      }
    }
  }
  return undefined;
}
