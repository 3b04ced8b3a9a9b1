import { describe, expect, it } from 'vitest';
import { kustomizeBuild } from '../../../shared/kustomize';
import { MemoryFileTree } from '../../../shared/repo/file-tree';

// Input and expected bytes from kubectl kustomize (kustomize v5.5.0): yaml.v3 reading, yaml.v2 printing.
const INPUT = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  list:\n  - \"long string with many spaces that goes on and on and on beyond the eighty column limit for sure yes\"\n  - \"line1\\nline2\"\n  - \" lead\\nline2\"\n  - \"\\nlead break\"\n  - k: \"long string with many spaces that goes on and on and on beyond the eighty column limit for sure yes\"\n    l: \"line1\\nline2\"\n  - - \"long string with many spaces that goes on and on and on beyond the eighty column limit for sure yes\"\n    - \"line1\\nline2\"\n  - []\n  - {}\n  dq: \"tab\\tlong string with many spaces that goes on and on and on beyond the eighty column limit for sure yes\"\n  sq: \"@long string with many spaces that goes on and on and on beyond the eighty column limit for sure yes\"\n  \"multi\\nkey\": 1\n  \"\": empty\n  emoji: \"😀 x\"\n  date: 2020-01-01\n  ts: \"2020-01-01T10:00:00Z\"\n  b60: \"1:20\"\n  oct: 012\n  hex: 0x1F\n  flt: 1.5e-7\n  big: 1e21\n  exp2: 123456789.123\n  neg: -0\n  dash: \"-\"\n  colon: \"a:b\"\n  trailsp: \"line1 \\nline2\"\n  verylongword: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbb\n  bool: True\n  nul: ~\n";
const KUBECTL_OUTPUT = "apiVersion: v1\ndata:\n  \"\": empty\n  b60: \"1:20\"\n  big: 1e+21\n  bool: true\n  colon: a:b\n  dash: '-'\n  date: \"2020-01-01T00:00:00Z\"\n  dq: \"tab\\tlong string with many spaces that goes on and on and on beyond the eighty\n    column limit for sure yes\"\n  emoji: \"\\U0001F600 x\"\n  exp2: 1.23456789123e+08\n  flt: 1.5e-07\n  hex: 31\n  list:\n  - long string with many spaces that goes on and on and on beyond the eighty column\n    limit for sure yes\n  - |-\n    line1\n    line2\n  - |2-\n     lead\n    line2\n  - |2-\n\n    lead break\n  - k: long string with many spaces that goes on and on and on beyond the eighty column\n      limit for sure yes\n    l: |-\n      line1\n      line2\n  - - long string with many spaces that goes on and on and on beyond the eighty column\n      limit for sure yes\n    - |-\n      line1\n      line2\n  - []\n  - {}\n  ? |-\n    multi\n    key\n  : 1\n  neg: 0\n  nul: null\n  oct: 10\n  sq: '@long string with many spaces that goes on and on and on beyond the eighty\n    column limit for sure yes'\n  trailsp: \"line1 \\nline2\"\n  ts: \"2020-01-01T10:00:00Z\"\n  verylongword: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n    bbb\nkind: ConfigMap\nmetadata:\n  name: x\n";

describe('kustomize YAML serialisation', () => {
  it('prints scalars as kustomize does: folding at 80 columns, quoting, block scalars, numbers, timestamps, complex keys', () => {
    const tree = new MemoryFileTree({ 'kustomization.yaml': 'resources:\n- r.yaml\n', 'r.yaml': INPUT });
    const r = kustomizeBuild(tree, '');
    expect(r.problems).toEqual([]);
    expect(r.yaml).toBe(KUBECTL_OUTPUT);
  });
});
