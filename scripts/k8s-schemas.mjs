#!/usr/bin/env node
// Generates the bundled Kubernetes schemas (shared/validate/schema/bundled/v<minor>.json) from the OpenAPI v3 spec
// that the Kubernetes Go module publishes (k8s.io/kubernetes@<version>/api/openapi-spec/v3), so they are never
// hand-written. The conversion is shared/validate/schema/openapi-v3.ts, the same code that reads a live API server's
// /openapi/v3: types, fields, required, items, maps, enums, refs and kinds are kept; descriptions, defaults and
// formats are dropped.
//
// Usage: node scripts/k8s-schemas.mjs v1.32.3 [v1.31.7 …]   (runs `go mod download` for a version not in the cache)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Buffer } from 'node:buffer';
import { build } from 'esbuild';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'shared', 'validate', 'schema', 'bundled');
const versions = process.argv.slice(2);
if (versions.length === 0) {
  console.error('usage: node scripts/k8s-schemas.mjs v1.32.3 [more versions]');
  process.exit(2);
}
const bundled = await build({ entryPoints: [path.join(root, 'shared', 'validate', 'schema', 'openapi-v3.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false });
const { bundleBuilder } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);

const modcache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
for (const version of versions) {
  const specDir = path.join(modcache, 'k8s.io', `kubernetes@${version}`, 'api', 'openapi-spec', 'v3');
  if (!existsSync(specDir)) execFileSync('go', ['mod', 'download', `k8s.io/kubernetes@${version}`], { stdio: 'inherit', cwd: '/tmp', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  const builder = bundleBuilder(version.slice(1), `k8s.io/kubernetes@${version} api/openapi-spec/v3`);
  for (const file of readdirSync(specDir).filter((f) => f.endsWith('.json')).sort()) builder.add(JSON.parse(readFileSync(path.join(specDir, file), 'utf8')));
  const doc = builder.build();
  const file = path.join(out, `${version.replace(/^v(\d+\.\d+)\..*$/, 'v$1')}.json`);
  writeFileSync(file, `${JSON.stringify(doc)}\n`);
  console.log(`${path.relative(root, file)}: ${Object.keys(doc.kinds).length} kinds, ${Object.keys(doc.defs).length} definitions, ${Math.round(JSON.stringify(doc).length / 1024)} KiB`);
}
