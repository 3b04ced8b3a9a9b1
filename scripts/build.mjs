// Builds Flotilla with esbuild: the CLI and web server, the Electron main process and preload, and the renderer.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
rmSync(path.join(dist, 'renderer'), { recursive: true, force: true });
mkdirSync(path.join(dist, 'renderer'), { recursive: true });

// electron/services/lazy-module.ts loads heavy packages on first use through createRequire(import.meta.url):
// in these CommonJS bundles import.meta.url is the bundle's own file URL.
const moduleUrl = { define: { 'import.meta.url': '__flotillaModuleUrl' }, banner: { js: 'var __flotillaModuleUrl = require("node:url").pathToFileURL(__filename).href;' } };
const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', packages: 'external', ...moduleUrl };
// Packages the CLI loads lazily (lazy-module.ts) or that are native: everything else is bundled into dist/cli.js, so a
// command compiles one file (and, from the second run, reads V8's code cache for it: see bin/flotilla.js).
const cliExternal = ['@kubernetes/client-node', 'better-sqlite3', 'fengari', 'simple-git'];
await Promise.all([
  // The CLI and `flotilla serve` (bin/flotilla.js loads dist/cli.js).
  build({ ...node, packages: undefined, external: cliExternal, entryPoints: [path.join(root, 'electron/cli/main.ts')], outfile: path.join(dist, 'cli.js') }),
  // The render workers of `render --all` (electron/services/render/render-pool.ts starts dist/render-worker.js).
  build({ ...node, packages: undefined, external: cliExternal, entryPoints: [path.join(root, 'electron/services/render/render-worker.ts')], outfile: path.join(dist, 'render-worker.js') }),
  // Electron's main process: node modules stay external (better-sqlite3 is native, unpacked from the asar).
  build({ ...node, entryPoints: [path.join(root, 'electron/main.ts')], outfile: path.join(dist, 'electron', 'main.js'), external: ['electron'] }),
  // The sandboxed preload may only require 'electron': everything else is bundled in.
  build({ ...node, packages: undefined, entryPoints: [path.join(root, 'electron/preload.ts')], outfile: path.join(dist, 'electron', 'preload.js'), external: ['electron'] }),
  // The renderer: one ES module and one stylesheet, no inline script (the CSP forbids it).
  build({
    entryPoints: { main: path.join(root, 'renderer/src/main.tsx'), 'main-css': path.join(root, 'renderer/src/styles.css') },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    minify: !watch,
    sourcemap: true,
    outdir: path.join(dist, 'renderer'),
    entryNames: '[name]',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  }),
]);
// esbuild names the CSS entry main-css.css; index.html loads main.css.
copyFileSync(path.join(dist, 'renderer', 'main-css.css'), path.join(dist, 'renderer', 'main.css'));
rmSync(path.join(dist, 'renderer', 'main-css.css'));
rmSync(path.join(dist, 'renderer', 'main-css.css.map'), { force: true });
copyFileSync(path.join(root, 'renderer/index.html'), path.join(dist, 'renderer', 'index.html'));
console.log('built dist/cli.js, dist/render-worker.js, dist/electron/{main,preload}.js, dist/renderer/');
