// Runs every benchmark under bench/ (or those named on the command line) and prints, for each figure, the wall and
// CPU time (min / median / max where the benchmark kept its samples) and, for each benchmark, the load average of
// the machine before and after and the CPU the benchmark's own process used. On a shared machine wall times vary
// with the load; CPU times much less — compare CPU figures run to run. Results also go to dist/bench/results.json.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const wanted = process.argv.slice(2);
const files = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
const outDir = path.join(root, 'dist', 'bench');
mkdirSync(outDir, { recursive: true });

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const spread = (xs) => `${ms(Math.min(...xs))} / ${ms(med(xs))} / ${ms(Math.max(...xs))}`;

console.log(`node ${process.version}, ${os.cpus().length} CPUs; times in ms; "min / median / max" over the samples`);
let failed = 0;
const all = [];
for (const f of files) {
  const out = path.join(outDir, f.replace(/\.ts$/, '.mjs'));
  await build({ entryPoints: [path.join(root, 'bench', f)], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out, packages: 'external', logLevel: 'error', banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  const before = load();
  console.log(`\n## ${f}   (load average ${before})`);
  const c0 = cpuMs();
  const t0 = performance.now();
  try {
    const mod = await import(pathToFileURL(out).href);
    const results = await mod.run();
    for (const r of results) {
      const wall = r.samples?.length ? `wall ${spread(r.samples)}` : Number.isFinite(r.median_ms) ? `wall median ${ms(r.median_ms)}` : '';
      const cpu = r.cpu_samples?.length ? `  cpu ${spread(r.cpu_samples)}` : '';
      const extra = r.extra ? '  ' + Object.entries(r.extra).map(([k, v]) => `${k}=${v}`).join('  ') : '';
      console.log(`${r.name}\n    ${wall}${cpu}${r.unit ? ' ' + r.unit : ''}${extra}`);
      all.push({ bench: f, ...r });
    }
  } catch (err) {
    failed++;
    console.error(`benchmark ${f} failed:`, err);
  }
  console.log(`-- ${f}: ${ms(performance.now() - t0)} ms wall, ${ms(cpuMs() - c0)} ms CPU in this process (children not counted); load average ${before} → ${load()}`);
}
writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ node: process.version, cpus: os.cpus().length, at: new Date().toISOString(), results: all }, null, 1));
process.exitCode = failed ? 1 : 0;
