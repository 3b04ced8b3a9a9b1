#!/usr/bin/env node
// The `flotilla` command: runs the bundled CLI (built by `npm run build`, which `npm install` runs).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('flotilla is not built yet: run `npm run build` in ' + path.join(__dirname, '..') + '\n');
  process.exit(2);
}
loadCached(cli).main(process.argv);

/**
 * Loads the bundle as a CommonJS module with V8's code cache (Node 20 has no module.enableCompileCache): the first
 * run of a command compiles as usual and, when it ends, saves the compiled code of every function it ran; later runs
 * of that command read it instead of compiling. One cache per command and bundle build, in the temp folder
 * ($FLOTILLA_COMPILE_CACHE overrides it; FLOTILLA_COMPILE_CACHE=off disables it). A rejected or unreadable cache is
 * ignored and rewritten: the cache can make a start faster, never wrong.
 */
function loadCached(file) {
  const setting = process.env.FLOTILLA_COMPILE_CACHE;
  if (setting === 'off') return require(file);
  const Module = require('node:module');
  const vm = require('node:vm');
  const os = require('node:os');
  const source = fs.readFileSync(file, 'utf8');
  const stat = fs.statSync(file);
  const command = (process.argv[2] || '').replace(/[^a-z-]/g, '').slice(0, 20) || 'none';
  const build = `${process.version}-${stat.size}-${Math.floor(stat.mtimeMs)}`;
  const key = `${build}-${command}`;
  const dir = setting || path.join(os.tmpdir(), `flotilla-compile-cache-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`);
  const cacheFile = path.join(dir, `${key}.v8`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        fs.mkdirSync(dir, { recursive: true });
        // Caches of earlier builds (or Node versions) are never read again.
        for (const f of fs.readdirSync(dir)) if (!f.startsWith(build)) fs.rmSync(path.join(dir, f), { force: true });
        const tmp = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        // no cache this time: the next run compiles again
      }
    });
  }
  return mod.exports;
}
