import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticFleetFiles } from '../../../bench/synthetic-fleet';
import type { ReadYamlOptions } from '../../../shared/kustomize/yaml';
import { readsFast, readYaml, readYamlFully } from '../../../shared/kustomize/yaml';
import { seededRandom } from '../../helpers/seeded-random';

// The fast block reader must give exactly what the `yaml` package path gives (values, document lines, positions), or
// step aside. Checked on every YAML file of the conformance corpora, the synthetic fleet, and thousands of mutants.
const MODES: readonly ReadYamlOptions[] = [
  { duplicateKeys: 'error' },
  { duplicateKeys: 'lastWins', schema: 'yaml11', positions: true },
];

const CORPUS = path.resolve(__dirname, '../../../../shared/conformance');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$|^Kustomization$/.test(name) && st.size < 200_000) out.push(readFileSync(p, 'utf8'));
  }
  return out;
}

/** Whether the fast path read the text, and if so that it agrees with the `yaml` package; returns true when fast. */
function agrees(text: string, opts: ReadYamlOptions): boolean {
  const full = readYamlFully(text, 'f.yaml', opts);
  const got = readYaml(text, 'f.yaml', opts);
  const fast = readsFast(text, opts);
  // Problems and values must match whichever path read it.
  expect(got.problems, text).toEqual(full.problems);
  expect(got.docs.map((d) => d.value), text).toEqual(full.docs.map((d) => d.value));
  expect(got.docs.map((d) => d.line), text).toEqual(full.docs.map((d) => d.line));
  if (opts.positions) {
    for (let i = 0; i < full.docs.length; i++) {
      const paths = pathsOf(full.docs[i]!.value);
      for (const p of paths) for (const part of ['key', 'value'] as const) expect(got.docs[i]!.at!(p, part), `${text} ${p.join('.')}`).toEqual(full.docs[i]!.at!(p, part));
    }
  }
  // The fast path never reads a text with a problem: those go to the yaml package for their positions.
  if (fast) expect(full.problems, text).toEqual([]);
  return fast;
}

function pathsOf(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length > 200) return out;
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, k], out);
  return out;
}

const INSERTS = [' ', '  ', ':', ': ', '-', '- ', '#', ' #', '"', "'", '\n', '\n  ', '|', '|-', '[', ']', ',', '{}', '&a ', '*a', '!', '>', '?', '---\n', '...\n', '\\', '\\n', '0x1F', 'yes', '~', '1e3', '<<: ', 'a: b\n', '\t', '\r\n', '%'];

function mutants(seed: string, n: number, r: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let t = seed;
    const edits = 1 + Math.floor(r() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(r() * (t.length + 1));
      const kind = r();
      if (kind < 0.45) t = t.slice(0, at) + INSERTS[Math.floor(r() * INSERTS.length)]! + t.slice(at);
      else if (kind < 0.75) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 3));
      else {
        const lines = t.split('\n');
        const li = Math.floor(r() * lines.length);
        if (kind < 0.9) lines.splice(li, 0, lines[li] ?? '');
        else lines[li] = ' '.repeat(Math.floor(r() * 4)) + (lines[li] ?? '').trimStart();
        t = lines.join('\n');
      }
    }
    out.push(t);
  }
  return out;
}

describe('the fast block YAML reader', () => {
  it('reads the synthetic fleet\'s kustomizations, patches and manifests as the yaml package does', () => {
    // The apps' folders (the ApplicationSet, with its flow maps, is the yaml package's).
    const files = Object.entries(syntheticFleetFiles({ apps: 20, clustersPerEnv: 1 })).filter(([p]) => p.startsWith('apps/') && /\.ya?ml$/.test(p));
    let fast = 0;
    for (const [, text] of files) for (const opts of MODES) if (agrees(text, opts)) fast++;
    // Every file of the fleet is plain block YAML: the fast path reads all of them.
    expect(fast).toBe(files.length * MODES.length);
  });

  it.skipIf(!existsSync(CORPUS))('agrees with the yaml package on every YAML file of the conformance corpora', () => {
    const texts = yamlFiles(CORPUS);
    let fast = 0;
    for (const text of texts) for (const opts of MODES) if (agrees(text, opts)) fast++;
    // Most of the corpus is plain block YAML; the rest steps aside to the yaml package.
    expect(texts.length).toBeGreaterThan(1000);
    expect(fast).toBeGreaterThan(texts.length * MODES.length * 0.5);
  });

  it('leaves keys that are not strings to the yaml package (yaml.v2 keys as sigs.k8s.io/yaml makes them JSON keys)', () => {
    for (const text of ['a:\n  1e6: x\n  yes: y\n  012: z\n', '~: x\n', '9223372036854775808: x\n', 'a: {}\nb:\n  1.5: x\n']) {
      for (const opts of MODES) agrees(text, opts);
      expect(readsFast(text, MODES[1]!), text).toBe(false);
    }
  });

  it('agrees with the yaml package on mutated texts, or steps aside: same values, lines, positions and problems', () => {
    const seeds = [
      ...Object.entries(syntheticFleetFiles({ apps: 2, clustersPerEnv: 1 })).filter(([p]) => /\.ya?ml$/.test(p)).map(([, t]) => t),
      'a: "x\\ty" # c\nb: \'it\'\'s\'\nc: [1, "two", \'3\', yes, ~]\nd: {}\ne:\n- 1\n- - 2\nf: |\n  line\n\n   more\n\ng: 2001-12-14\nh: 0o17\ni: 012\n',
      '---\n# c\nk: v\n---\n- a\n-\n  b: 1\n  c:\n  - x\n...\n',
    ];
    const r = seededRandom(14);
    let fast = 0;
    let total = 0;
    for (const seed of seeds) {
      for (const text of mutants(seed, 100, r)) {
        for (const opts of MODES) {
          total++;
          if (agrees(text, opts)) fast++;
        }
      }
    }
    expect(fast).toBeGreaterThan(total * 0.2);
  });
});
