// Paths into plain JSON objects: JSON pointers (RFC 6901) and the small get / delete helpers the diff engine shares.

/** One step of a path: a map key or an array index. */
export type PathSeg = string | number;

/** Whether a value is a plain JSON object (a YAML mapping). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a JSON pointer (`/spec/template/metadata/labels/app.kubernetes.io~1name`) into its steps; undefined when malformed. */
export function parseJsonPointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Formats steps as a JSON pointer, escaping `~` and `/`. */
export function toJsonPointer(path: readonly PathSeg[]): string {
  let out = '';
  for (const seg of path) out += '/' + String(seg).replace(/~/g, '~0').replace(/\//g, '~1');
  return out;
}

/** Deletes the value at `path` in place (an array element is spliced out); does nothing when the path does not exist. */
export function deleteAt(root: unknown, path: readonly PathSeg[]): void {
  if (path.length === 0) return;
  let cur: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    cur = step(cur, path[i]!);
    if (cur === undefined) return;
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(cur)) {
    const idx = typeof last === 'number' ? last : /^\d+$/.test(last) ? Number(last) : -1;
    if (idx >= 0 && idx < cur.length) cur.splice(idx, 1);
  } else if (isPlainObject(cur)) {
    delete cur[String(last)];
  }
}

/** Deletes several paths found on the same object, deepest array indices first so that earlier deletions do not shift later ones. */
export function deleteAll(root: unknown, paths: readonly (readonly PathSeg[])[]): void {
  const unique = new Map<string, readonly PathSeg[]>();
  for (const p of paths) unique.set(toJsonPointer(p), p.map((s, i) => (typeof s === 'string' && /^\d+$/.test(s) && Array.isArray(getAt(root, p.slice(0, i))) ? Number(s) : s)));
  const sorted = [...unique.values()].sort(comparePathsForDeletion);
  for (const p of sorted) deleteAt(root, p);
}

function comparePathsForDeletion(a: readonly PathSeg[], b: readonly PathSeg[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return String(x) < String(y) ? -1 : 1;
  }
  return b.length - a.length;
}

function step(cur: unknown, seg: PathSeg): unknown {
  if (Array.isArray(cur)) {
    const idx = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
    return idx >= 0 ? cur[idx] : undefined;
  }
  if (isPlainObject(cur)) return cur[String(seg)];
  return undefined;
}

/** The value at `path`, or undefined. */
export function getAt(root: unknown, path: readonly PathSeg[]): unknown {
  let cur = root;
  for (const seg of path) {
    cur = step(cur, seg);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** A deep copy of plain JSON data. */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = cloneJson(v[k]);
    return out as T;
  }
  return v;
}
