import { describe, expect, it } from 'vitest';
import { flattenParams, goFormatFloat, goSprintV, mergeFillEmpty, mergeOverride } from '../../../shared/appset/go-values';

describe('Go value formatting', () => {
  it('formats numbers as Go %v formats a float64', () => {
    expect(goFormatFloat(123)).toBe('123');
    expect(goFormatFloat(1.5)).toBe('1.5');
    expect(goFormatFloat(100000)).toBe('100000');
    expect(goFormatFloat(1000000)).toBe('1e+06');
    expect(goFormatFloat(1234567)).toBe('1.234567e+06');
    expect(goFormatFloat(0.0001)).toBe('0.0001');
    expect(goFormatFloat(0.00001)).toBe('1e-05');
    expect(goFormatFloat(-2.5)).toBe('-2.5');
  });

  it('formats other JSON values as Go %v does', () => {
    expect(goSprintV(true)).toBe('true');
    expect(goSprintV(null)).toBe('<nil>');
    expect(goSprintV(['a', 1])).toBe('[a 1]');
    expect(goSprintV({ b: 1, a: 'x' })).toBe('map[a:x b:1]');
  });

  it('flattens nested params with dots for post-selectors, dropping empty maps and lists', () => {
    expect(flattenParams({ name: 'dev', metadata: { labels: { env: 'dev' } }, values: [1, true], empty: {}, none: [] })).toEqual({
      name: 'dev',
      'metadata.labels.env': 'dev',
      'values.0': '1',
      'values.1': 'true',
    });
  });
});

describe('merges', () => {
  it('mergeOverride copies the base as its own keys, a __proto__ key included, and leaves both inputs as they were', () => {
    const base = JSON.parse('{"__proto__": {"polluted": true}, "b": {"x": 1}}') as Record<string, unknown>;
    const out = mergeOverride(base, { c: 2 });
    expect(Object.keys(out)).toEqual(['__proto__', 'b', 'c']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true},"b":{"x":1},"c":2}');
    expect(out['b']).toBe(base['b']);
    expect(Object.keys(base)).toEqual(['__proto__', 'b']);
  });

  it('mergeOverride merges maps deeply and lets the override win elsewhere', () => {
    expect(mergeOverride({ a: { x: 1, y: 2 }, l: [1, 2], s: 'b' }, { a: { y: 3 }, l: [9], s: 'o' })).toEqual({ a: { x: 1, y: 3 }, l: [9], s: 'o' });
  });

  it('mergeFillEmpty keeps what the generator template sets and fills only empty fields', () => {
    expect(mergeFillEmpty({ metadata: { name: 'x' }, spec: { project: '' } }, { metadata: { name: 'base', labels: { a: 'b' } }, spec: { project: 'default' } })).toEqual({
      metadata: { name: 'x', labels: { a: 'b' } },
      spec: { project: 'default' },
    });
  });
});
