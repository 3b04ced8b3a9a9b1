// Properties over many generated objects (seeded, so failures reproduce): defaults added by a server are never
// drift, a changed field Git sets always is (at its own path), and no Secret value ever reaches the output.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diffResource } from '../../../shared/diff/resource-diff';
import { toDiffYaml } from '../../../shared/diff/render';
import type { KubeObject } from '../../../shared/model/status';

function rng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

const WORDS = [
  'alpha', 'beta', 'gamma', 'delta', 'on', 'yes', 'NO', '~', 'null', '1', '0.5', '.5', '+1', '1e3', '0x1F', '2026-11-20', '12:30',
  'a: b', 'x #y', '#comment', '- item', '"quoted"', "it's", '@at', '%pct', '*star', '&amp', '!bang', '|pipe', '>gt', '{a}', '[b]',
  '', ' lead', 'tail ', 'multi\nline', 'ends\n', 'two\n\n', '  indented\nblock', 'tab\there', 'ünïcödé', 'http://x:80/y', '--flag=1',
];

/** A random JSON tree of the shapes manifests have (maps, lists of scalars, lists of named maps, scalars). */
function tree(r: (n: number) => number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = 1 + r(4);
  for (let i = 0; i < n; i++) {
    const k = `f${r(6)}`;
    const kind = depth > 2 ? r(3) : r(6);
    if (kind === 0) out[k] = WORDS[r(WORDS.length)]!;
    else if (kind === 1) out[k] = r(1000);
    else if (kind === 2) out[k] = r(2) === 0;
    else if (kind === 3) out[k] = tree(r, depth + 1);
    else if (kind === 4) out[k] = Array.from({ length: 1 + r(3) }, () => WORDS[r(WORDS.length)]!);
    else out[k] = Array.from({ length: 1 + r(3) }, (_, j) => ({ name: `item-${j}`, ...tree(r, depth + 2) }));
  }
  return out;
}

/** `base` with fields added everywhere (server defaults): new keys in maps and in named list items. */
function withDefaults(r: (n: number) => number, v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => withDefaults(r, x));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = withDefaults(r, x);
    if (r(2) === 0) out[`defaulted${r(100)}`] = r(2) === 0 ? 'ServerDefault' : { nested: r(10) };
    return out;
  }
  return v;
}

/** Every leaf path of a value, with the leaf. */
function leaves(v: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: unknown }[] {
  if (Array.isArray(v)) return v.length === 0 ? [] : v.flatMap((x, i) => leaves(x, [...path, i]));
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  return [{ path, value: v }];
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): void {
  let cur = root as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = value;
}

const pointer = (path: readonly (string | number)[]): string => path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

describe('diff properties over generated objects', () => {
  it('never counts server defaults as drift', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const desired: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: `w${seed}`, namespace: 'ns' }, spec: tree(r, 0) };
      const live = withDefaults(r, structuredClone(desired)) as KubeObject;
      const d = diffResource(desired, live);
      expect(d.changes, `seed ${seed}`).toEqual([]);
      expect(d.sync, `seed ${seed}`).toBe('Synced');
    }
  });

  it('always reports a changed field that Git sets, at its own path and nowhere else', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const desired: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: `w${seed}`, namespace: 'ns' }, spec: tree(r, 0) };
      const live = withDefaults(r, structuredClone(desired)) as KubeObject;
      const all = leaves(desired.spec).filter((l) => !l.path.includes('name'));
      if (all.length === 0) continue;
      const pick = all[r(all.length)]!;
      setAt(live.spec, pick.path, typeof pick.value === 'number' ? pick.value + 1 : typeof pick.value === 'boolean' ? !pick.value : `${String(pick.value)}-changed`);
      const d = diffResource(desired, live);
      expect(d.sync, `seed ${seed}`).toBe('OutOfSync');
      expect(d.changes.map((c) => c.path), `seed ${seed}`).toEqual([`/spec${pointer(pick.path)}`]);
    }
  });

  it('never lets a Secret value through, whatever changed', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const values = Array.from({ length: 1 + r(4) }, (_, i) => `S3cr3t-${seed}-${i}-${r(1e6)}`);
      const desired: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, stringData: Object.fromEntries(values.map((v, i) => [`k${i}`, v])) };
      const liveValues = values.map((v) => (r(2) === 0 ? v : `${v}-old`));
      const b64 = (s: string): string => Buffer.from(s).toString('base64');
      const live: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ stringData: liveValues }) } }, data: Object.fromEntries(liveValues.map((v, i) => [`k${i}`, b64(v)])) };
      const d = diffResource(desired, live);
      const text = JSON.stringify(d);
      for (const v of [...values, ...liveValues]) {
        expect(text).not.toContain(v);
        expect(text).not.toContain(b64(v));
      }
      expect(d.sync).toBe(liveValues.every((v, i) => v === values[i]) ? 'Synced' : 'OutOfSync');
    }
  });

  it('renders YAML that reads back to the same object', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const obj = withDefaults(r, { kind: 'Widget', spec: tree(r, 0) });
      expect(parse(toDiffYaml(obj), { version: '1.1' }), `seed ${seed}`).toEqual(obj);
    }
  });
});
