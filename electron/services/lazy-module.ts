import { createRequire } from 'node:module';
import path from 'node:path';

// Heavy packages (the Kubernetes client, SQLite, the Lua VM) are loaded on first use, not at start-up: a CLI command
// that never talks to a cluster must not pay the ~0.5 s of CPU that compiling @kubernetes/client-node costs.
// A synchronous require keeps the callers synchronous (kubeconfig loading, opening the store). In the CommonJS
// bundles scripts/build.mjs defines import.meta.url from __filename; in tests (ES modules) it is the file's URL; in
// any other CommonJS bundle (a test's child process) import.meta is empty and __filename stands in.
const base = (import.meta as { url?: string }).url ?? (typeof __filename === 'string' ? __filename : path.join(process.cwd(), 'index.js'));
const load = createRequire(base);

/** A getter that loads package `id` the first time it is called and returns the same module after. */
export function lazyModule<T>(id: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= load(id) as T);
}
