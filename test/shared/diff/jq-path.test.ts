import { describe, expect, it } from 'vitest';
import { compileJqPath } from '../../../shared/diff/jq-path';

const obj = {
  metadata: { name: 'web', annotations: { 'example.com/a': '1', 'x.y': '2' }, labels: { app: 'web' } },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'web:1', env: [{ name: 'A', value: '1' }, { name: 'B_SECRET', value: '2' }] },
          { name: 'istio-proxy', image: 'proxy:1', env: [] },
          { name: 'log-shipper', image: 'fluent:1' },
        ],
      },
    },
  },
};

function paths(expr: string): (string | number)[][] {
  const c = compileJqPath(expr);
  if (!c.ok) throw new Error(c.error);
  return c.path.paths(obj);
}

describe('jq path expressions', () => {
  it('follows fields, quoted keys, bracket keys and indices', () => {
    expect(paths('.spec.template.spec.containers[0].image')).toEqual([['spec', 'template', 'spec', 'containers', 0, 'image']]);
    expect(paths('.metadata.annotations."example.com/a"')).toEqual([['metadata', 'annotations', 'example.com/a']]);
    expect(paths('.metadata.annotations["x.y"]')).toEqual([['metadata', 'annotations', 'x.y']]);
    expect(paths('.spec.template.spec.containers[-1].name')).toEqual([['spec', 'template', 'spec', 'containers', 2, 'name']]);
  });

  it('iterates with [] and .[], and filters with select', () => {
    expect(paths('.metadata.labels | .[]')).toEqual([['metadata', 'labels', 'app']]);
    expect(paths('.spec.template.spec.containers[] | select(.name == "istio-proxy")')).toEqual([['spec', 'template', 'spec', 'containers', 1]]);
    expect(paths('.spec.template.spec.containers[] | select(.name != "web") | .image')).toEqual([
      ['spec', 'template', 'spec', 'containers', 1, 'image'],
      ['spec', 'template', 'spec', 'containers', 2, 'image'],
    ]);
  });

  it('combines conditions with and / or, and matches with test() and startswith()', () => {
    expect(paths('.spec.template.spec.containers[] | select(.name == "web" or .name == "log-shipper") | .image').map((p) => p[4])).toEqual([0, 2]);
    expect(paths('.spec.template.spec.containers[] | select(.name == "web" and .image == "nope")')).toEqual([]);
    expect(paths('.spec.template.spec.containers[] | select(.name | test("^istio-")) | .image')).toEqual([['spec', 'template', 'spec', 'containers', 1, 'image']]);
    expect(paths('.spec.template.spec.containers[].env[]? | select(.name | endswith("_SECRET"))')).toEqual([['spec', 'template', 'spec', 'containers', 0, 'env', 1]]);
    expect(paths('.spec.template.spec.containers[] | select(.name | startswith("log")) | .image')).toEqual([['spec', 'template', 'spec', 'containers', 2, 'image']]);
    expect(paths('.spec.template.spec.containers[] | select(has("env") | not) | .name')).toEqual([['spec', 'template', 'spec', 'containers', 2, 'name']]);
  });

  it('yields a path for a field that does not exist (deleting it then does nothing)', () => {
    expect(paths('.spec.nothing.here')).toEqual([['spec', 'nothing', 'here']]);
  });

  it('refuses what it does not understand with the column', () => {
    const bad = compileJqPath('.spec | map(.x)');
    expect(bad).toEqual({ ok: false, error: "jq: function 'map' (column 9) is not supported in ignoreDifferences path expressions" });
    const unterminated = compileJqPath('.metadata.annotations."abc');
    expect(unterminated.ok).toBe(false);
    const trailing = compileJqPath('.a ]');
    expect(trailing).toEqual({ ok: false, error: "jq: expected end of expression but found ']' at column 4 in \".a ]\"" });
  });

  it('yields nothing for expressions that are not paths (literals)', () => {
    const c = compileJqPath('"just a string"');
    expect(c.ok && c.path.paths(obj)).toEqual([]);
  });

  it('matches test() with Go (RE2) regular expressions in linear time, with the i and x flags', () => {
    const long = { metadata: { annotations: { note: `${'a'.repeat(5000)}!` } } };
    const hostile = compileJqPath('.metadata.annotations[] | select(test("^(a+)+b$"))');
    if (!hostile.ok) throw new Error(hostile.error);
    const started = Date.now();
    expect(hostile.path.paths(long)).toEqual([]);
    // A backtracking engine takes longer than the universe's age on this; RE2 answers at once.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(paths('.spec.template.spec.containers[] | select(.name | test("^ISTIO-"; "i")) | .name')).toEqual([['spec', 'template', 'spec', 'containers', 1, 'name']]);
    expect(paths('.spec.template.spec.containers[] | select(.name | test("^log - shipper$"; "x")) | .name')).toEqual([['spec', 'template', 'spec', 'containers', 2, 'name']]);
  });
});
