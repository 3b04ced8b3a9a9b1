// The Kustomize conformance corpus (../shared/conformance/kustomize): 243 builds whose output must equal what
// `kubectl kustomize` (kustomize v5.5.0) printed, and 33 builds that must fail.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { kustomizeBuild } from '../../../shared/kustomize';
import { conformanceDir } from '../../helpers/paths';

const dir = conformanceDir('kustomize');

interface CaseEntry {
  readonly name: string;
  readonly error_substrings?: readonly string[];
  readonly run_dir: string;
  readonly features: readonly string[];
  readonly kubectl_args?: readonly string[];
}

/** The case's files; with a revision, builds share base builds through the commit's base cache. */
function readTree(root: string, revision?: string): MemoryFileTree {
  const tree = new MemoryFileTree({}, revision);
  const visit = (d: string, rel: string): void => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(full).isDirectory()) visit(full, r);
      else tree.set(r, new Uint8Array(readFileSync(full)));
    }
  };
  visit(root, '');
  return tree;
}

function docs(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1', uniqueKeys: false })
    .map((d) => d.toJS({ maxAliasCount: -1 }) as unknown)
    .filter((v) => v !== null && v !== undefined);
}

function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `line ${i + 1}: expected ${JSON.stringify(e[i] ?? '<end>')}, got ${JSON.stringify(a[i] ?? '<end>')}`;
  }
  return 'identical text';
}

function options(c: CaseEntry): { loadRestrictor?: 'none' } {
  const args = c.kubectl_args ?? [];
  const i = args.indexOf('--load-restrictor');
  return i >= 0 && args[i + 1] === 'LoadRestrictionsNone' ? { loadRestrictor: 'none' } : {};
}

describe.skipIf(!dir)('kustomize conformance corpus', () => {
  const index = dir ? (JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as { cases: CaseEntry[]; errors: CaseEntry[] }) : { cases: [], errors: [] };

  it('renders every corpus build exactly as kubectl kustomize does (at least 90% required), byte for byte', () => {
    let passed = 0;
    let byteExact = 0;
    const failures: string[] = [];
    const perFeature = new Map<string, { pass: number; total: number }>();
    for (const c of index.cases) {
      const caseDir = path.join(dir!, 'cases', c.name);
      const expected = readFileSync(path.join(caseDir, 'expected.yaml'), 'utf8');
      const tree = readTree(path.join(caseDir, 'in'));
      const result = kustomizeBuild(tree, c.run_dir === '.' ? '' : c.run_dir, options(c));
      let ok = false;
      let why = '';
      if (result.problems.some((p) => p.severity === 'error')) {
        why = `problem: ${result.problems.map((p) => `${p.file ?? ''}: ${p.message}`).join('; ')}`;
      } else {
        ok = JSON.stringify(docs(result.yaml)) === JSON.stringify(docs(expected));
        if (!ok) why = firstDifference(result.yaml, expected);
        if (result.yaml === expected) byteExact++;
      }
      if (ok) passed++;
      else failures.push(`${c.name}: ${why.slice(0, 300)}`);
      for (const f of c.features) {
        const s = perFeature.get(f) ?? { pass: 0, total: 0 };
        s.total++;
        if (ok) s.pass++;
        perFeature.set(f, s);
      }
    }
    const total = index.cases.length;
    console.log(`kustomize conformance: ${passed} passed, ${total - passed} failed (${((100 * passed) / total).toFixed(1)}%), ${byteExact} byte-exact`);
    for (const [f, s] of [...perFeature].sort((a, b) => b[1].total - a[1].total)) {
      console.log(`  ${f}: ${s.pass}/${s.total} (${((100 * s.pass) / s.total).toFixed(0)}%)`);
    }
    for (const f of failures) console.log(`  FAIL ${f}`);
    expect(passed / total).toBeGreaterThanOrEqual(0.9);
    expect(failures).toEqual([]);
    expect(byteExact).toBe(total);
  });

  it('builds every corpus case (and refuses every error case) the same when bases come from the commit\'s base cache', () => {
    const differ: string[] = [];
    for (const [c, inDir] of [...index.cases.map((c) => [c, path.join(dir!, 'cases', c.name, 'in')] as const), ...index.errors.map((c) => [c, path.join(dir!, 'errors', c.name, 'in')] as const)]) {
      const run = c.run_dir === '.' ? '' : c.run_dir;
      const plain = kustomizeBuild(readTree(inDir), run, options(c));
      const pinned = readTree(inDir, 'c0ffee');
      // The first build fills the cache, the second takes every base from it.
      for (const pass of ['filled', 'cached']) {
        const r = kustomizeBuild(pinned, run, options(c));
        const same = r.yaml === plain.yaml && JSON.stringify(r.problems) === JSON.stringify(plain.problems) && JSON.stringify(r.files) === JSON.stringify(plain.files);
        if (!same) differ.push(`${c.name} (${pass})`);
      }
    }
    expect(differ).toEqual([]);
  });

  it('fails every corpus build that kustomize refuses, with a problem naming what is wrong', () => {
    const notFailing: string[] = [];
    let sameWording = 0;
    for (const c of index.errors) {
      const tree = readTree(path.join(dir!, 'errors', c.name, 'in'));
      const result = kustomizeBuild(tree, c.run_dir === '.' ? '' : c.run_dir, options(c));
      const errors = result.problems.filter((p) => p.severity === 'error');
      if (errors.length === 0 || errors.some((p) => p.message.trim() === '')) notFailing.push(c.name);
      // Informative only: how often kustomize's own wording appears in the message.
      if ((c.error_substrings ?? []).every((s) => errors.some((p) => p.message.includes(s)))) sameWording++;
    }
    console.log(`kustomize error corpus: ${index.errors.length - notFailing.length} of ${index.errors.length} fail as they should (${sameWording} with kustomize's wording)`);
    for (const n of notFailing) console.log(`  BUILT ${n}`);
    expect(notFailing).toEqual([]);
  });
});
