import { describe, expect, it } from 'vitest';
import type { Problem } from '../../shared/problem';
import { problem } from '../../shared/problem';
import { capProblems, omittedLines, problemKind } from '../../shared/problem-cap';

describe('capping repeated problems', () => {
  it('shows the first 20 of each kind, counts the rest, and never hides a different problem among them', () => {
    const flood: Problem[] = Array.from({ length: 46_264 }, (_, i) => problem(`no file apps/a${i}/kustomization.yaml: "ref-${i}" not found`, { file: `apps/a${i}/x.yaml`, line: i + 1 }));
    const odd = problem('YAML: bad indentation of a mapping entry', { file: 'flotilla.yaml', line: 7, column: 3 });
    const capped = capProblems([...flood.slice(0, 30_000), odd, ...flood.slice(30_000)]);
    expect(capped.shown).toHaveLength(21);
    expect(capped.shown).toContain(odd);
    expect(capped.omittedCount).toBe(46_244);
    expect(omittedLines(capped)).toEqual(['… and 46,244 more error(s) like: no file apps/a20/kustomization.yaml: "ref-20" not found']);
  });

  it('tells kinds apart by their wording, not their particulars', () => {
    expect(problemKind(problem('no file a/1.yaml'))).toBe(problemKind(problem('no file b/22.yaml')));
    expect(problemKind(problem('no file a/1.yaml'))).not.toBe(problemKind({ ...problem('no file a/1.yaml'), severity: 'warning' }));
    expect(problemKind(problem('unknown field "x"'))).not.toBe(problemKind(problem('missing field "x"')));
  });
});
