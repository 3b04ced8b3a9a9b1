// A line diff (Myers' O(ND) algorithm, with the common prefix and suffix trimmed first) and its unified format,
// written here because it is small and shared/ needs it without Node built-ins.

/** One line of an edit script: kept (` `), removed (`-`) or added (`+`). */
export interface LineEdit {
  readonly op: ' ' | '-' | '+';
  readonly line: string;
}

/** The shortest edit script turning lines `a` into lines `b`. */
export function diffLines(a: readonly string[], b: readonly string[]): LineEdit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: LineEdit[] = [];
  for (let i = 0; i < start; i++) out.push({ op: ' ', line: a[i]! });
  out.push(...myers(a.slice(start, endA), b.slice(start, endB)));
  for (let i = endA; i < a.length; i++) out.push({ op: ' ', line: a[i]! });
  return out;
}

/** Above this many edits the exact search would cost too much memory; the changed middle is then replaced whole. */
const MAX_EDIT_DISTANCE = 4000;

function myers(a: readonly string[], b: readonly string[]): LineEdit[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ op: '+', line }));
  if (m === 0) return a.map((line) => ({ op: '-', line }));
  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  // trace[d] holds the frontier before step d, for diagonals -d..d (index k + d): O(D²) memory in all.
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    if (d > MAX_EDIT_DISTANCE) return [...a.map((line): LineEdit => ({ op: '-', line })), ...b.map((line): LineEdit => ({ op: '+', line }))];
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the saved frontiers to recover the path.
  const edits: LineEdit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const vd = trace[d]!;
    const at = (k: number): number => vd[k + d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ op: ' ', line: a[x - 1]! });
      x--;
      y--;
    }
    if (x === prevX) edits.push({ op: '+', line: b[y - 1]! });
    else edits.push({ op: '-', line: a[x - 1]! });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    edits.push({ op: ' ', line: a[x - 1]! });
    x--;
    y--;
  }
  return edits.reverse();
}

/** Options of a unified diff: the two file labels and the lines of context around each change. */
export interface UnifiedDiffOptions {
  readonly fromLabel: string;
  readonly toLabel: string;
  readonly context?: number;
}

/** `diff -u` of two texts; empty when they are equal. A missing side (undefined) diffs like `diff -N` against an empty file. */
export function unifiedDiff(from: string | undefined, to: string | undefined, opts: UnifiedDiffOptions): string {
  const a = splitLines(from ?? '');
  const b = splitLines(to ?? '');
  const edits = diffLines(a, b);
  if (edits.every((e) => e.op === ' ')) return '';
  const ctx = opts.context ?? 3;
  const lines: string[] = [`--- ${opts.fromLabel}`, `+++ ${opts.toLabel}`];
  // Positions (in edits) of changed lines, grouped into hunks when their context windows touch.
  let i = 0;
  const aLineAt: number[] = [];
  const bLineAt: number[] = [];
  let ai = 0;
  let bi = 0;
  for (const e of edits) {
    aLineAt.push(ai);
    bLineAt.push(bi);
    if (e.op !== '+') ai++;
    if (e.op !== '-') bi++;
  }
  while (i < edits.length) {
    while (i < edits.length && edits[i]!.op === ' ') i++;
    if (i >= edits.length) break;
    const hunkStart = Math.max(0, i - ctx);
    let end = i;
    for (;;) {
      while (end < edits.length && edits[end]!.op !== ' ') end++;
      let next = end;
      while (next < edits.length && edits[next]!.op === ' ') next++;
      if (next < edits.length && next - end <= 2 * ctx) end = next;
      else break;
    }
    const hunkEnd = Math.min(edits.length, end + ctx);
    const slice = edits.slice(hunkStart, hunkEnd);
    const aCount = slice.filter((e) => e.op !== '+').length;
    const bCount = slice.filter((e) => e.op !== '-').length;
    const aStart = aCount === 0 ? aLineAt[hunkStart]! : aLineAt[hunkStart]! + 1;
    const bStart = bCount === 0 ? bLineAt[hunkStart]! : bLineAt[hunkStart]! + 1;
    lines.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    for (const e of slice) lines.push(e.op + e.line);
    i = hunkEnd;
  }
  return lines.join('\n') + '\n';
}

function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}

function splitLines(s: string): string[] {
  if (s === '') return [];
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
