import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding package.json). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The peer conformance suites beside the checkout (`../shared/conformance`), or undefined when absent. */
export function conformanceDir(suite: 'kustomize' | 'health' | 'applicationset' | 'argocd-sources' | 'flux'): string | undefined {
  const dir = path.resolve(repoRoot, '..', 'shared', 'conformance', suite);
  if (existsSync(dir)) return dir;
  console.warn(`conformance suite ${suite}: ${dir} is absent, skipping`);
  return undefined;
}
