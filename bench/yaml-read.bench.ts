// Reading the YAML of a synthetic fleet's apps (kustomizations read as kustomize reads them, with positions; patches and
// manifests as resources): the fast block reader (readYaml) against the yaml package alone (readYamlFully), CPU per
// text. Both give the same values (test/shared/kustomize/yaml-block.test.ts).
import { syntheticFleetFiles } from './synthetic-fleet';
import type { ReadYamlOptions } from '../shared/kustomize/yaml';
import { readsFast, readYaml, readYamlFully } from '../shared/kustomize/yaml';
import type { BenchResult } from './types';
import { cpuNow, median } from './types';

const APPS = Number(process.env.YAML_READ_BENCH_APPS ?? 50);
const ROUNDS = 7;

/** Runs the yaml-read benchmark. */
export async function run(): Promise<BenchResult[]> {
  const texts = Object.entries(syntheticFleetFiles({ apps: APPS, clustersPerEnv: 1 }))
    .filter(([p]) => p.startsWith('apps/'))
    .map(([p, text]) => ({ p, text, opts: (p.endsWith('kustomization.yaml') ? { duplicateKeys: 'lastWins', schema: 'yaml11', positions: true } : { duplicateKeys: 'error' }) as ReadYamlOptions }));
  const fast = texts.filter((t) => readsFast(t.text, t.opts)).length;
  const pass = (read: typeof readYaml): number => {
    const c = cpuNow();
    for (let i = 0; i < 10; i++) for (const t of texts) read(t.text, t.p, t.opts);
    return cpuNow() - c;
  };
  pass(readYaml);
  pass(readYamlFully);
  const full: number[] = [];
  const block: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    full.push(pass(readYamlFully));
    block.push(pass(readYaml));
  }
  const n = texts.length * 10;
  const us = (ms: number): number => (ms * 1000) / n;
  return [
    { name: `yaml package: ${n} texts of ${APPS} apps, CPU per text`, median_ms: median(full) / n, unit: 'ms', cpu_samples: full.map((x) => x / n), extra: { us_per_text: us(median(full)).toFixed(1) } },
    { name: `fast block reader (same texts; ${fast} of ${texts.length} read fast), CPU per text`, median_ms: median(block) / n, unit: 'ms', cpu_samples: block.map((x) => x / n), extra: { us_per_text: us(median(block)).toFixed(1), ratio: (median(full) / median(block)).toFixed(1) } },
  ];
}
