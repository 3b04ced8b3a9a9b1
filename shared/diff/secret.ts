// Secret values never leave the engine unmasked. The masking follows Argo CD's HideSecretData: every value of a
// Secret's `data` becomes a run of `+`; for each key, the first distinct value met (desired first, then live) gets
// 8 `+`, the next distinct value 4 more, so a reader still sees which keys differ without seeing any value.

import type { KubeObject } from '../model/status';
import { cloneJson, isPlainObject } from './json-path';
import { isSecret, LAST_APPLIED_ANNOTATION } from './normalize';

/** What a masked Secret value looks like (Argo CD uses `+` rather than `*`). */
export const SECRET_MASK = '++++++++';

/**
 * A copy of `obj` with every Secret value masked: `data` and `stringData` values become `++++++++`, and the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation (which holds the values too) is masked the same way.
 * Objects that are not Secrets are returned as they are. Use before anything reaches SQLite, a report, a log or the UI.
 */
export function maskSecret<T extends KubeObject | undefined>(obj: T): T {
  if (obj === undefined || !isSecret(obj)) return obj;
  const out = cloneJson(obj) as Record<string, unknown>;
  for (const field of ['data', 'stringData']) {
    const m = out[field];
    if (isPlainObject(m)) for (const k of Object.keys(m)) m[k] = SECRET_MASK;
  }
  maskLastApplied(out);
  return out as T;
}

function maskLastApplied(secret: Record<string, unknown>): void {
  const md = secret['metadata'];
  const ann = isPlainObject(md) ? md['annotations'] : undefined;
  if (!isPlainObject(ann) || typeof ann[LAST_APPLIED_ANNOTATION] !== 'string') return;
  let inner: unknown;
  try {
    inner = JSON.parse(ann[LAST_APPLIED_ANNOTATION]);
  } catch {
    inner = undefined;
  }
  ann[LAST_APPLIED_ANNOTATION] = isPlainObject(inner) ? JSON.stringify(maskSecret(inner as KubeObject)) : SECRET_MASK;
}

/**
 * Masks the `data` values of a desired/live pair of (normalised) Secrets so that equal values get equal masks and
 * different values different masks (Argo CD's rule); returns masked copies. Non-Secrets are returned unchanged.
 */
export function hideSecretData<A extends KubeObject | undefined, B extends KubeObject | undefined>(desired: A, live: B): [A, B] {
  if (!isSecret(desired) && !isSecret(live)) return [desired, live];
  const objs = [desired, live].map((o) => {
    if (o === undefined || !isSecret(o)) return o as Record<string, unknown> | undefined;
    const copy = cloneJson(o) as Record<string, unknown>;
    maskLastApplied(copy);
    return copy;
  });
  const datas = objs.map((o) => (o !== undefined && isSecret(o) && isPlainObject(o['data']) ? o['data'] : undefined));
  const keys = new Set<string>();
  for (const d of datas) if (d) for (const k of Object.keys(d)) keys.add(k);
  for (const k of keys) {
    let next = SECRET_MASK;
    const seen = new Map<string, string>();
    for (const d of datas) {
      if (!d || !(k in d)) continue;
      const v = d[k] === null || d[k] === undefined ? '' : String(d[k]);
      let mask = seen.get(v);
      if (mask === undefined) {
        mask = next;
        next += '++++';
        seen.set(v, mask);
      }
      d[k] = mask;
    }
  }
  for (const o of objs) {
    if (o && isSecret(o) && isPlainObject(o['stringData'])) for (const k of Object.keys(o['stringData'])) o['stringData'][k] = SECRET_MASK;
  }
  return [objs[0] as A, objs[1] as B];
}
