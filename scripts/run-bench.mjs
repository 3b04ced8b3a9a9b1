// Runs every benchmark under bench/ (or those named on the command line) and prints their medians.
import { build } from 'esbuild';
import { readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const wanted = process.argv.slice(2);
const files = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
const outDir = path.join(root, 'dist', 'bench');
mkdirSync(outDir, { recursive: true });
let failed = 0;
for (const f of files) {
  const out = path.join(outDir, f.replace(/\.ts$/, '.mjs'));
  await build({ entryPoints: [path.join(root, 'bench', f)], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out, packages: 'external', logLevel: 'error', banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  console.log(`\n## ${f}`);
  try {
    const mod = await import(pathToFileURL(out).href);
    const results = await mod.run();
    for (const r of results) {
      const extra = r.extra ? '  ' + Object.entries(r.extra).map(([k, v]) => `${k}=${v}`).join('  ') : '';
      console.log(`${r.name.padEnd(58)} median ${r.median_ms.toFixed(2).padStart(10)} ms${r.unit ? ' ' + r.unit : ''}${extra}`);
    }
  } catch (err) {
    failed++;
    console.error(`benchmark ${f} failed:`, err);
  }
}
process.exitCode = failed ? 1 : 0;
