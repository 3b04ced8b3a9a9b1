import { describe, expect, it } from 'vitest';
import { renderFluxKustomization } from '../../../shared/flux/kustomization-build';
import { ArtifactFileTree } from '../../../shared/flux/source-ignore';
import { substituteObject } from '../../../shared/flux/substitute';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { decodeKustomization, objectStore } from '../../../shared/flux/types';
import type { FluxKustomizationSpec } from '../../../shared/flux/types';
import type { Json, JsonMap } from '../../../shared/kustomize/yaml';

// Types after postBuild substitution, as kustomize-controller produces them. Every row is the answer of Flux's own
// libraries: scripts/flux-types-probe (fluxcd/pkg/kustomize kustomize_varsub.go's path — kustomize `res.AsYAML()`,
// substitution, sigs.k8s.io/yaml v1.6.0 `YAMLToJSON` over go.yaml.in/yaml/v2, `res.UnmarshalJSON`, the apply-side
// decoder) run on scripts/flux-types-probe/vals.txt with value.yaml (`value: ${v}`) and key.yaml (`${v}: x`).
// So: YAML 1.1 booleans (`yes`, `on`, `y`), Go's integer syntax (`017` and `0o17` octal, `0x1F`, `0b101`, `1_000`),
// sexagesimal `1:20` and timestamps left as text, `.inf`/`.nan` an error (JSON has no such number), every number a
// float64 (2^53 + 1 rounds), keys made strings (floats in float32 precision: `1e6` → `1e+06`).

type Row = readonly [string, Json | { readonly error: string }];

/** `value: ${v}` → the value Flux applies, or its error. */
const VALUES: readonly Row[] = [
  ["1:20", "1:20"],
  ["-1:20", "-1:20"],
  ["190:20:30", "190:20:30"],
  ["0o17", 15],
  ["0O17", 15],
  ["017", 15],
  ["09", 9],
  ["0x1F", 31],
  ["+0x1F", 31],
  ["0x", "0x"],
  ["0b101", 5],
  ["-0b101", -5],
  ["yes", true],
  ["Yes", true],
  ["YES", true],
  ["yEs", "yEs"],
  ["on", true],
  ["On", true],
  ["off", false],
  ["y", true],
  ["Y", true],
  ["n", false],
  ["N", false],
  ["no", false],
  ["true", true],
  ["True", true],
  ["tRUE", "tRUE"],
  ["~", null],
  ["null", null],
  ["Null", null],
  ["nUll", "nUll"],
  ["", null],
  ["1e3", 1000],
  ["1E3", 1000],
  ["1e+3", 1000],
  ["1.5e-7", 1.5e-07],
  ["1e21", 1e+21],
  ["1e6", 1000000],
  ["1000000", 1000000],
  ["1e400", "1e400"],
  [".inf", { error: "json: unsupported value: +Inf" }], // YAMLToJSON: json: unsupported value: +Inf
  ["-.inf", { error: "json: unsupported value: -Inf" }], // YAMLToJSON: json: unsupported value: -Inf
  ["+.inf", { error: "json: unsupported value: +Inf" }], // YAMLToJSON: json: unsupported value: +Inf
  [".Inf", { error: "json: unsupported value: +Inf" }], // YAMLToJSON: json: unsupported value: +Inf
  [".nan", { error: "json: unsupported value: NaN" }], // YAMLToJSON: json: unsupported value: NaN
  [".NaN", { error: "json: unsupported value: NaN" }], // YAMLToJSON: json: unsupported value: NaN
  [".5", 0.5],
  [".5e3", 500],
  [".5_0", 0.5],
  ["5.", 5],
  ["1.0", 1],
  ["-0", 0],
  ["-0.0", 0],
  ["+12", 12],
  ["1_000", 1000],
  ["1__000", 1000],
  ["1_000.5", 1000.5],
  ["0x_1F", 31],
  ["9007199254740993", 9007199254740992],
  ["12345678901234567", 12345678901234568],
  ["9223372036854775807", 9223372036854776000],
  ["9223372036854775808", 9223372036854776000],
  ["18446744073709551615", 18446744073709552000],
  ["18446744073709551616", 18446744073709552000],
  ["-9223372036854775808", -9223372036854776000],
  ["2001-12-14", "2001-12-14"],
  ["2001-12-14T21:59:43.10-05:00", "2001-12-14T21:59:43.10-05:00"],
  ["2001-12-14 21:59:43.10", "2001-12-14 21:59:43.10"],
  ["'1:20'", "1:20"],
  ["\"0o17\"", "0o17"],
  ["\"yes\"", "yes"],
  ["[1, yes, 0x10]", [1, true, 16]],
  ["{a: 1}", {"a": 1}],
  ["0.1", 0.1],
  ["3.14159265358979323846", 3.141592653589793],
  ["1.7976931348623157e308", 1.7976931348623157e+308],
];

/** `${v}: x` → the key Flux applies, or its error. */
const KEYS: readonly Row[] = [
  ["1:20", "1:20"],
  ["-1:20", "-1:20"],
  ["190:20:30", "190:20:30"],
  ["0o17", "15"],
  ["0O17", "15"],
  ["017", "15"],
  ["09", "9"],
  ["0x1F", "31"],
  ["+0x1F", "31"],
  ["0x", "0x"],
  ["0b101", "5"],
  ["-0b101", "-5"],
  ["yes", "true"],
  ["Yes", "true"],
  ["YES", "true"],
  ["yEs", "yEs"],
  ["on", "true"],
  ["On", "true"],
  ["off", "false"],
  ["y", "true"],
  ["Y", "true"],
  ["n", "false"],
  ["N", "false"],
  ["no", "false"],
  ["true", "true"],
  ["True", "true"],
  ["tRUE", "tRUE"],
  ["~", { error: "unsupported map key of type: <nil>" }], // YAMLToJSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"
  ["null", { error: "unsupported map key of type: <nil>" }], // YAMLToJSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"
  ["Null", { error: "unsupported map key of type: <nil>" }], // YAMLToJSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"
  ["nUll", "nUll"],
  ["", { error: "" }], // YAMLToJSON: yaml: line 5: did not find expected key
  ["1e3", "1000"],
  ["1E3", "1000"],
  ["1e+3", "1000"],
  ["1.5e-7", "1.5e-07"],
  ["1e21", "1e+21"],
  ["1e6", "1e+06"],
  ["1000000", "1000000"],
  ["1e400", "1e400"],
  [".inf", ".inf"],
  ["-.inf", "-.inf"],
  ["+.inf", ".inf"],
  [".Inf", ".inf"],
  [".nan", ".nan"],
  [".NaN", ".nan"],
  [".5", "0.5"],
  [".5e3", "500"],
  [".5_0", "0.5"],
  ["5.", "5"],
  ["1.0", "1"],
  ["-0", "0"],
  ["-0.0", "-0"],
  ["+12", "12"],
  ["1_000", "1000"],
  ["1__000", "1000"],
  ["1_000.5", "1000.5"],
  ["0x_1F", "31"],
  ["9007199254740993", "9007199254740993"],
  ["12345678901234567", "12345678901234567"],
  ["9223372036854775807", "9223372036854775807"],
  ["9223372036854775808", { error: "unsupported map key of type: uint64" }], // YAMLToJSON: unsupported map key of type: uint64, key: 0x8000000000000000, value: "x"
  ["18446744073709551615", { error: "unsupported map key of type: uint64" }], // YAMLToJSON: unsupported map key of type: uint64, key: 0xffffffffffffffff, value: "x"
  ["18446744073709551616", "1.8446744e+19"],
  ["-9223372036854775808", "-9223372036854775808"],
  ["2001-12-14", "2001-12-14"],
  ["2001-12-14T21:59:43.10-05:00", "2001-12-14T21:59:43.10-05:00"],
  ["2001-12-14 21:59:43.10", "2001-12-14 21:59:43.10"],
  ["'1:20'", "1:20"],
  ["\"0o17\"", "0o17"],
  ["\"yes\"", "yes"],
  ["[1, yes, 0x10]", { error: "invalid map key" }], // YAMLToJSON: yaml: invalid map key: []interface {}{1, true, 16}
  ["{a: 1}", { error: "invalid map key" }], // YAMLToJSON: yaml: invalid map key: map[interface {}]interface {}{"a":1}
  ["0.1", "0.1"],
  ["3.14159265358979323846", "3.1415927"],
  ["1.7976931348623157e308", ".inf"],
];

const spec = (v: string): FluxKustomizationSpec =>
  (decodeKustomization({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'k', namespace: 'flux-system' }, spec: { path: './', sourceRef: { kind: 'GitRepository', name: 'r' }, postBuild: { substitute: { v } } } }) as { spec: FluxKustomizationSpec }).spec;

function substituted(objSpec: JsonMap, v: string): { spec: Json } | { error: string } {
  const r = substituteObject({ apiVersion: 'example.com/v1', kind: 'Probe', metadata: { name: 'p' }, spec: objSpec }, spec(v), 'flux-system', objectStore([]));
  return 'error' in r ? r : { spec: r.obj['spec']! };
}

function isError(x: Row[1]): x is { readonly error: string } {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as { error?: unknown }).error === 'string' && Object.keys(x).length === 1;
}

describe('types after postBuild substitution, as Flux produces them', () => {
  it.each(VALUES)('value %j', (v, want) => {
    const got = substituted({ value: '${v}' }, v);
    if (isError(want)) {
      expect('error' in got ? got.error : got).toEqual(expect.stringContaining(want.error));
      if ('error' in got) expect(got.error).toMatch(/^envsubst error: YAMLToJSON: /);
    } else {
      expect(got).toEqual({ spec: { value: want } });
      // Numbers are float64 after Flux's JSON round trip: never a bigint.
      if ('spec' in got) expect(typeof (got.spec as JsonMap)['value']).not.toBe('bigint');
    }
  });

  it.each(KEYS)('key %j', (v, want) => {
    const got = substituted({ '${v}': 'x' }, v);
    if (isError(want)) expect('error' in got ? got.error : got).toEqual(expect.stringContaining(want.error));
    else expect(got).toEqual({ spec: { [want as string]: 'x' } });
  });

  it('quotes in the source do not survive (kustomize prints through JSON); quoted strings without ${} stay strings', () => {
    expect(substituted({ value: '${v}', prefixed: 'v${v}', keep: '0o17', keep2: 'yes' }, '0o17')).toEqual({ spec: { value: 15, prefixed: 'v0o17', keep: '0o17', keep2: 'yes' } });
  });

  it('an object with no ${} still goes through the JSON round trip: a big integer becomes the float64 Flux applies', () => {
    const r = substituteObject({ apiVersion: 'example.com/v1', kind: 'Probe', metadata: { name: 'p' }, spec: { n: 12345678901234567n } }, spec('x'), 'flux-system', objectStore([]));
    expect(r).toEqual({ obj: { apiVersion: 'example.com/v1', kind: 'Probe', metadata: { name: 'p' }, spec: { n: 12345678901234568 } } });
  });
});

describe('a value kustomize cannot print', () => {
  it('is the Kustomization\'s build error, with or without postBuild (the build itself prints nothing; the result is printed once)', () => {
    const artifact = new ArtifactFileTree(new MemoryFileTree({ 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  n: .inf\n' }));
    for (const postBuild of [undefined, { substitute: { a: 'b' } }]) {
      const object = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'k', namespace: 'flux-system' }, spec: { path: './app', sourceRef: { kind: 'GitRepository', name: 'r' }, ...(postBuild ? { postBuild } : {}) } };
      const r = renderFluxKustomization({ object, artifact, store: objectStore([]), where: { app: 'flux-system/k', file: 'clusters/prod/k.yaml', line: 3 } });
      expect(r.objects).toEqual([]);
      expect(r.problems[0]).toMatchObject({ message: expect.stringContaining('json: unsupported value: +Inf'), app: 'flux-system/k', file: 'clusters/prod/k.yaml', line: 3 });
    }
  });
});
