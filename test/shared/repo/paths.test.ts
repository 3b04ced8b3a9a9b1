import { describe, expect, it } from 'vitest';
import { normalizePath } from '../../../shared/repo/paths';

describe('normalizePath', () => {
  it.each([
    ['', ''], ['a', 'a'], ['a/b.yaml', 'a/b.yaml'], ['.hidden/x', '.hidden/x'], ['a/..b/c', 'a/..b/c'], ['a/b..', 'a/b..'],
    ['./a', 'a'], ['/a/b', 'a/b'], ['a/b/', 'a/b'], ['a//b', 'a/b'], ['a/./b', 'a/b'], ['a/b/.', 'a/b'], ['.', ''],
    ['a/../b', 'b'], ['a/b/..', 'a'], ['../a', undefined], ['a/../../b', undefined], ['..', undefined],
  ] as const)('%j → %j', (p, want) => {
    expect(normalizePath(p)).toBe(want);
  });
});
