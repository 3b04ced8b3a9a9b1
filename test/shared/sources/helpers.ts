import type { FileTree } from '../../../shared/repo/file-tree';
import { buildEnv } from '../../../shared/sources/build-env';
import type { SourceInput, SourceTools } from '../../../shared/sources/types';

/** A SourceInput for app `shop` (destination namespace `web`) rendering `path` of `tree` with the given source options. */
export function sourceInput(tree: FileTree, path: string, options: Record<string, unknown> = {}, tools: SourceTools = {}): SourceInput {
  const source = { repoURL: 'https://git.example.com/r.git', path, targetRevision: 'HEAD', ...options };
  return {
    app: 'shop',
    tree,
    path,
    source,
    destinationNamespace: 'web',
    env: buildEnv({ app: 'shop', namespace: 'web', revision: 'abcdef0123456789', repoURL: source.repoURL, path, targetRevision: 'HEAD' }),
    refs: new Map(),
    loadRestrictor: 'rootOnly',
    tools,
  };
}
