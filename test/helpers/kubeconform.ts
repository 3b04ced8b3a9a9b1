import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { kindKey } from '../../shared/validate/schema/compact';
import { toJsonSchema } from '../../shared/validate/schema/json-schema';
import type { SchemaSet } from '../../shared/validate/schema/schema-set';
import { repoRoot } from './paths';

// kubeconform (github.com/yannh/kubeconform), the schema-validation oracle: built from its Go module into a cache
// outside the repository (scripts/kubeconform-bin.sh) and handed the very schemas Flotilla validates with, written as
// standalone JSON Schema files at `<dir>/<group>/<version>/<kind>.json` (kubeconform's template variables).

/** The schema-location template matching `writeKubeconformSchemas`. */
export const SCHEMA_TEMPLATE = '{{ .Group }}/{{ .ResourceAPIVersion }}/{{ .ResourceKind }}.json';

/** The path of the kubeconform binary (built once, then reused). */
export function kubeconformBin(): string {
  const out = execFileSync(path.join(repoRoot, 'scripts', 'kubeconform-bin.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

/** Writes the schema of each `apiVersion`/`kind` the set knows (built-in or CRD) where kubeconform looks for it. */
export function writeKubeconformSchemas(set: SchemaSet, kinds: Iterable<readonly [string, string]>, dir: string): number {
  let n = 0;
  const done = new Set<string>();
  for (const [apiVersion, kind] of kinds) {
    const key = kindKey(apiVersion, kind);
    if (done.has(key)) continue;
    done.add(key);
    const def = set.bundle.kinds[key];
    const crd = set.customResources().find((c) => c.key === key);
    const root = def !== undefined ? { $: def } : crd?.node;
    if (!root) continue;
    const parts = apiVersion.split('/');
    const file = path.join(dir, parts[0]!, parts[parts.length - 1]!, `${kind.toLowerCase()}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(toJsonSchema(root, set.bundle)));
    n++;
  }
  return n;
}

/** kubeconform's verdict on one file: valid, invalid, error (cannot read it) or skipped (no schema). */
export type KubeconformStatus = 'statusValid' | 'statusInvalid' | 'statusError' | 'statusSkipped' | 'statusEmpty';

/** Runs kubeconform strictly over files or folders with the schemas of `schemaDir`; the status of each file. */
export function runKubeconform(bin: string, schemaDir: string, targets: readonly string[], workers = 4): Map<string, { status: KubeconformStatus; msg: string }> {
  let out: string;
  const args = ['-strict', '-ignore-missing-schemas', '-output', 'json', '-verbose', '-n', String(workers), '-schema-location', path.join(schemaDir, SCHEMA_TEMPLATE), ...targets];
  try {
    out = execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  } catch (err) {
    // Exit 1 when some resource is invalid; the report is still on stdout.
    out = (err as { stdout?: string }).stdout ?? '';
    if (!out) throw err;
  }
  const report = JSON.parse(out) as { resources: { filename: string; status: KubeconformStatus; msg: string }[] };
  return new Map(report.resources.map((r) => [r.filename, { status: r.status, msg: r.msg }]));
}
