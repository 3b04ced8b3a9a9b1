import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './paths';

/**
 * Bundles the render worker (electron/services/render/render-worker.ts) into a temporary folder as scripts/build.mjs
 * bundles it into dist/: tests run the engine from its TypeScript sources, and a worker thread runs JavaScript only.
 * Also writes `crash.js`, a worker that exits with code 3 on its first batch.
 */
export async function bundleRenderWorker(): Promise<{ script: string; crashing: string; cleanup: () => void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flotilla-render-worker-'));
  const script = path.join(dir, 'render-worker.js');
  await build({
    entryPoints: [path.join(repoRoot, 'electron/services/render/render-worker.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    external: ['@kubernetes/client-node', 'better-sqlite3', 'fengari', 'simple-git'],
    define: { 'import.meta.url': '__flotillaModuleUrl' },
    banner: { js: 'var __flotillaModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  const crashing = path.join(dir, 'crash.js');
  writeFileSync(crashing, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
  return { script, crashing, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
