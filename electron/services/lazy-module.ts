import { createRequire } from 'node:module';

// Heavy packages (the Kubernetes client, SQLite, the Lua VM) are loaded on first use, not at start-up: a CLI command
// that never talks to a cluster must not pay the ~0.5 s of CPU that compiling @kubernetes/client-node costs.
// A synchronous require keeps the callers synchronous (kubeconfig loading, opening the store). In the CommonJS
// bundles scripts/build.mjs defines import.meta.url from __filename; in tests (ES modules) it is the file's URL.
const load = createRequire(import.meta.url);

/** A getter that loads package `id` the first time it is called and returns the same module after. */
export function lazyModule<T>(id: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= load(id) as T);
}
