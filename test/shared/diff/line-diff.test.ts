import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../../shared/diff/line-diff';

function apply(edits: { op: string; line: string }[]): { a: string[]; b: string[] } {
  return { a: edits.filter((e) => e.op !== '+').map((e) => e.line), b: edits.filter((e) => e.op !== '-').map((e) => e.line) };
}

/** Length of the longest common subsequence, by dynamic programming (the reference a shortest edit script must meet). */
function lcs(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) t[i]![j] = a[i - 1] === b[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
  return t[a.length]![b.length]!;
}

describe('line diff', () => {
  it('produces a minimal edit script that rebuilds both sides, on random inputs', () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: rnd(15) }, () => 'abcd'[rnd(4)]!);
      const b = Array.from({ length: rnd(15) }, () => 'abcd'[rnd(4)]!);
      const edits = diffLines(a, b);
      expect(apply(edits)).toEqual({ a, b });
      expect(edits.filter((e) => e.op === ' ').length).toBe(lcs(a, b));
    }
  });

  it('stays exact but bounded on large, entirely different texts (a replaced 6,000-line ConfigMap)', () => {
    const a = Array.from({ length: 6000 }, (_, i) => `old line ${i}`);
    const b = Array.from({ length: 6000 }, (_, i) => `new line ${i}`);
    const edits = diffLines(['same', ...a, 'tail'], ['same', ...b, 'tail']);
    expect(apply(edits)).toEqual({ a: ['same', ...a, 'tail'], b: ['same', ...b, 'tail'] });
    expect(edits.filter((e) => e.op === ' ').map((e) => e.line)).toEqual(['same', 'tail']);
  });

  it('formats hunks like diff -u, merging changes whose context overlaps', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20'];
    const b = [...a];
    b[1] = 'two';
    b[4] = 'five';
    b[17] = 'eighteen';
    const out = unifiedDiff(a.join('\n') + '\n', b.join('\n') + '\n', { fromLabel: 'a', toLabel: 'b' });
    expect(out).toBe(
      [
        '--- a',
        '+++ b',
        '@@ -1,8 +1,8 @@',
        ' 1',
        '-2',
        '+two',
        ' 3',
        ' 4',
        '-5',
        '+five',
        ' 6',
        ' 7',
        ' 8',
        '@@ -15,6 +15,6 @@',
        ' 15',
        ' 16',
        ' 17',
        '-18',
        '+eighteen',
        ' 19',
        ' 20',
        '',
      ].join('\n'),
    );
  });

  it('is empty for equal texts and diffs against nothing like diff -N', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', { fromLabel: 'x', toLabel: 'y' })).toBe('');
    expect(unifiedDiff(undefined, 'a\nb\n', { fromLabel: 'x', toLabel: 'y' })).toBe('--- x\n+++ y\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('a\n', undefined, { fromLabel: 'x', toLabel: 'y' })).toBe('--- x\n+++ y\n@@ -1 +0,0 @@\n-a\n');
  });
});
