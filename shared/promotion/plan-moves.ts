// Which values move in a promotion: the kustomization `images` entries and the `?ref=` pins of remote resources, read
// from the source stage's overlay and set in the target's (the YAML path moves are planned in plan.ts).

import type { Document } from 'yaml';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Problem } from '../problem';
import { problem } from '../problem';
import type { PromotionMove } from './plan-types';
import type { YamlSet } from './yaml-path';
import { lineOf } from './yaml-path';

interface ImageEntry {
  readonly name: string;
  readonly fields: Readonly<Record<'newName' | 'newTag' | 'digest', string | undefined>>;
}

/** The `images` entries of a parsed kustomization. */
export function imageEntries(js: unknown): ImageEntry[] {
  const list = isObj(js) && Array.isArray(js.images) ? js.images : [];
  const out: ImageEntry[] = [];
  for (const it of list) {
    if (!isObj(it) || typeof it.name !== 'string') continue;
    const f = (k: string): string | undefined => (it[k] === undefined || it[k] === null ? undefined : String(it[k]));
    out.push({ name: it.name, fields: { newName: f('newName'), newTag: f('newTag'), digest: f('digest') } });
  }
  return out;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function imageRef(e: ImageEntry | undefined): string | undefined {
  if (!e) return undefined;
  const { newName, newTag, digest } = e.fields;
  if (newName === undefined && newTag === undefined && digest === undefined) return undefined;
  return `${newName ?? e.name}${newTag !== undefined ? `:${newTag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
}

/** Plans the image moves of one app: the source's entries set in the target's kustomization. */
export function planImages(
  app: string, srcFile: string, srcJs: unknown, tgtFile: string, tgtText: string, tgtJs: unknown, tgtDoc: Document,
  which: true | readonly string[], only: readonly string[] | undefined,
  moves: PromotionMove[], addSet: (file: string, set: YamlSet) => void, problems: Problem[],
): void {
  const src = imageEntries(srcJs);
  const tgt = imageEntries(tgtJs);
  let names = which === true ? src.map((e) => e.name) : [...which];
  if (only) {
    for (const n of only) if (which !== true && !which.includes(n)) problems.push(problem(`image ${n} is not promoted by the pipeline (promote.images lists ${which.join(', ')})`, { app }));
    names = names.filter((n) => only.includes(n));
    for (const n of only) if (!names.includes(n) && !src.some((e) => e.name === n)) names.push(n);
  }
  const tgtSeqLength = isObj(tgtJs) && Array.isArray(tgtJs.images) ? tgtJs.images.length : 0;
  let appended = 0;
  for (const name of names) {
    const s = src.find((e) => e.name === name);
    if (!s) {
      problems.push(problem(`image ${name} is not in the source stage's images (${src.map((e) => e.name).join(', ') || 'none'})`, { app, file: srcFile }));
      continue;
    }
    const ti = tgt.findIndex((e) => e.name === name);
    const t = ti >= 0 ? tgt[ti] : undefined;
    if (imageRef(s) === imageRef(t) && JSON.stringify(s.fields) === JSON.stringify(t?.fields)) continue;
    const seqNode = tgtDoc.get('images', true);
    const itemNode = ti >= 0 && isSeq(seqNode) ? seqNode.items[ti] : undefined;
    const index = ti >= 0 ? ti : tgtSeqLength + appended++;
    if (ti < 0) addSet(tgtFile, { path: ['images', index, 'name'], value: name });
    let changed = false;
    for (const k of ['newName', 'newTag', 'digest'] as const) {
      const v = s.fields[k];
      if (v === undefined) {
        if (t?.fields[k] !== undefined) {
          problems.push(problem(`image ${name}: the target sets ${k} (${t.fields[k]}) and the source does not; remove it by hand once, later promotions edit the image in place`, { app, file: tgtFile, line: lineOf(tgtText, isMap(itemNode) ? (itemNode.get(k, true) as never) : undefined) ?? 1 }));
        }
        continue;
      }
      if (t?.fields[k] === v) continue;
      changed = true;
      addSet(tgtFile, { path: ['images', index, k], value: v });
    }
    if (changed || ti < 0) moves.push({ kind: 'image', name, file: tgtFile, ...(itemNode ? { line: lineOf(tgtText, itemNode as never)! } : {}), ...(imageRef(t) ? { from: imageRef(t)! } : {}), to: imageRef(s)! });
  }
}

function remoteRefs(js: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isObj(js)) return out;
  for (const field of ['resources', 'components']) {
    const list = js[field];
    if (!Array.isArray(list)) continue;
    for (const r of list) {
      if (typeof r !== 'string') continue;
      const m = /^(.*[?&])ref=([^&]+)(.*)$/.exec(r);
      if (m) out.set(m[1]! + '\u0000' + m[3]!, m[2]!);
    }
  }
  return out;
}

/** Plans the `?ref=` moves of remote resources and components. */
export function planRevisions(srcJs: unknown, tgtFile: string, tgtText: string, tgtDoc: Document, moves: PromotionMove[], addSet: (file: string, set: YamlSet) => void): void {
  const src = remoteRefs(srcJs);
  for (const field of ['resources', 'components']) {
    const seq = tgtDoc.get(field, true);
    if (!isSeq(seq)) continue;
    seq.items.forEach((node, i) => {
      if (!isScalar(node) || typeof node.value !== 'string') return;
      const m = /^(.*[?&])ref=([^&]+)(.*)$/.exec(node.value);
      if (!m) return;
      const ref = src.get(m[1]! + '\u0000' + m[3]!);
      if (ref === undefined || ref === m[2]) return;
      const url = m[1]!.slice(0, -1) + m[3]!;
      moves.push({ kind: 'revision', name: url, file: tgtFile, ...(lineOf(tgtText, node) ? { line: lineOf(tgtText, node)! } : {}), from: m[2]!, to: ref });
      addSet(tgtFile, { path: [field, i], value: `${m[1]}ref=${ref}${m[3]}` });
    });
  }
}

