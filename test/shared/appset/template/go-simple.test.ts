// The fast path for text-and-field Go templates answers exactly what the full interpreter answers, or leaves it to it.
import { describe, expect, it } from 'vitest';
import { renderString } from '../../../../shared/appset/template';
import type { MissingKey } from '../../../../shared/appset/template/go';
import { BUILTINS, GoTemplateCache, compileSimple, runSimple } from '../../../../shared/appset/template/go';
import type { Params } from '../../../../shared/model/params';

const full = new GoTemplateCache(BUILTINS);

/** What the full interpreter makes of a template: its output, or its error text. */
function interpreted(template: string, data: unknown, missingKey: MissingKey): { out: string } | { err: string } {
  try {
    return { out: full.execute(full.parse(template), data, missingKey) };
  } catch (e) {
    return { err: e instanceof Error ? e.message : String(e) };
  }
}

const MISSING_KEYS: readonly MissingKey[] = ['default', 'zero', 'error'];

const DATA: readonly unknown[] = [
  { a: 'x', b: { c: 'y' }, name: 'dev-01', path: { basename: 'app-1', path: 'apps/app-1' }, metadata: { labels: { environment: 'dev', 'app.kubernetes.io/name': 'web', '': 'empty', 'a b': 'sp' } } },
  { metadata: { labels: { environment: 3 } }, a: { b: { c: { d: 'four' } } } },
  { metadata: { labels: null }, a: { b: ['x'] } },
  { metadata: 'not a map', a: { b: { c: null } } },
  // A quoted key with an escape means its unquoted text: the fast path must not take it as written.
  { b: { 'c\\n': 'as written', 'c\n': 'unquoted' } },
  { a: '', b: { c: '' } },
  { a: '  spaced\n', b: { c: '{{.a}}' } },
  { a: 1, b: { c: 2.5 } },
  { a: true, b: { c: false } },
  { a: null, b: { c: null } },
  { a: ['l', 'm'], b: ['c'] },
  { a: { b: 'z' }, b: 'not a map' },
  { a: { b: { c: 'deep' } }, if: 'kw', range: 'kw2', a_1: { B2: 'under' } },
  {},
  JSON.parse('{"__proto__": "own", "a": "p"}') as unknown,
  Object.assign(Object.create(null) as Record<string, unknown>, { a: 'null-proto', b: { c: 'n' } }),
  { a: 'x', b: { c: 'y', goField: 'not a function', goType: 'map' } },
  // A Go object (a struct the engine models, e.g. a parsed semver) answers fields itself, even one built as a plain map.
  { a: 'x', b: { c: 'y', goField: (n: string) => (n === 'c' ? { value: 'from goField' } : undefined), goType: 'T' } },
  null,
];

const TEMPLATES: readonly string[] = [
  '',
  'plain text',
  '{{.a}}',
  '{{ .a }}',
  '{{\t.a\n}}',
  '{{.b.c}}',
  'x-{{.a}}-{{.b.c}}-y',
  '{{- .a }}',
  '  {{- .a -}}  ',
  'a \n {{- .a -}} \n b',
  '{{.a -}}\t\n{{- .b.c}}',
  '{{.a}}}',
  '}}{{.a}}',
  '{{ .a}}{{.b.c}}',
  '{{.path.basename}}-{{.name}}',
  '{{.if}}-{{.range}}',
  '{{.a_1.B2}}',
  '{{.a.b.c}}',
  '{{.a.b}}',
  '{{.__proto__}}',
  '{{ .a  -}}x',
  '{{.a\n-}}  y',
  '{{.a\r-}}\r\nz',
  '{{ .nope }}',
  '{{ .a.nope }}',
  '{{.goField}}',
  '{{ index .metadata.labels "environment" }}',
  '{{index .metadata.labels "app.kubernetes.io/name"}}-{{ .name }}',
  '{{ index .metadata.labels "" }}|{{ index .metadata.labels "a b" }}',
  '{{- index .a "b" "c" "d" -}}',
  '{{ index .a "b" "c" }}',
  '{{ index .metadata.labels "nope" }}',
  '{{ index .metadata "labels" "environment" }}',
  '{{ index .b "c" }}',
  '{{ index .a.b "c" }}',
  '{{ index .metadata.labels "}}" }}',
  '{{ index .metadata.labels "{{" }}',
  // Not simple: the interpreter runs them.
  '{{.a-}}',
  '{{ .a- }}',
  '{{.a.}}',
  '{{-.a}}',
  '{{ . }}',
  '{{.}}',
  '{{ $ }}',
  '{{ $.a }}',
  '{{ .a | print }}',
  '{{ print .a }}',
  '{{ index .b }}',
  '{{ index . "a" }}',
  '{{ index .b 0 }}',
  '{{ index .b "c\\n" }}',
  '{{ index .b `c` }}',
  '{{ index .b"c" }}',
  '{{ indexx .b "c" }}',
  '{{ .b "c" }}',
  '{{ index .b "c }}',
  '{{/* c */}}',
  '{{- /* c */ -}}',
  '{{ .a }} {{ .b',
  '{{.añ}}',
  '{{ .a .b }}',
  '{{ (.a) }}',
  '{{ if .a }}y{{ end }}',
  '{{.5}}',
  '{{ .a }}{{- " " -}}',
];

/** Every case: the fast path, when it answers, agrees with the interpreter; with the engine, renderString does too. */
function checkAgreement(template: string, data: unknown): number {
  const simple = compileSimple(template);
  let answered = 0;
  for (const mk of MISSING_KEYS) {
    const ref = interpreted(template, data, mk);
    if (simple) {
      // A template the fast path accepts is one the interpreter parses.
      expect(ref, template).not.toMatchObject({ err: expect.stringMatching(/^template: base:\d+: /) });
      const fast = runSimple(simple, data);
      if (fast !== undefined) {
        answered++;
        expect({ template, data, mk, out: fast }).toEqual({ template, data, mk, out: (ref as { out?: string }).out });
      }
    }
    if ('out' in ref && data !== null) {
      const opts = mk === 'default' ? [] : [`missingkey=${mk}`];
      expect(renderString(template, data as Params, { goTemplate: true, goTemplateOptions: opts }), template).toBe(ref.out);
    }
  }
  return answered;
}

describe('simple Go templates (text and field lookups)', () => {
  it('compiles text-and-field templates only', () => {
    expect(compileSimple('{{.path.basename}}-{{.name}}')).toEqual({ texts: ['', '-', ''], fields: [['path', 'basename'], ['name']], keys: [[], []] });
    expect(compileSimple('a \n {{- .a -}} \n b')).toEqual({ texts: ['a', 'b'], fields: [['a']], keys: [[]] });
    expect(compileSimple('{{ .path.path }}/{{ index .metadata.labels "environment" }}')).toEqual({ texts: ['', '/', ''], fields: [['path', 'path'], ['metadata', 'labels']], keys: [[], ['environment']] });
    for (const t of ['{{.a-}}', '{{ . }}', '{{ $.a }}', '{{ .a | print }}', '{{/* c */}}', '{{ .a }} {{ .b', '{{.añ}}', '{{ index .b }}', '{{ index .b 0 }}', '{{ index .b "c\\n" }}', '{{ index .b `c` }}', '{{ print .b "c" }}']) {
      expect(compileSimple(t), t).toBeUndefined();
    }
  });

  it('answers as the interpreter does, for every missingkey option, or leaves the case to it', () => {
    let answered = 0;
    for (const t of TEMPLATES) for (const d of DATA) answered += checkAgreement(t, d);
    // Not vacuous: the plain cases are answered by the fast path.
    expect(answered).toBeGreaterThan(150);
  });

  it('leaves missing keys, nil and non-string values to the interpreter', () => {
    const t = compileSimple('{{ .a }}')!;
    expect(runSimple(t, {})).toBeUndefined();
    expect(runSimple(t, { a: null })).toBeUndefined();
    expect(runSimple(t, { a: 3 })).toBeUndefined();
    expect(runSimple(t, { a: { b: 'c' } })).toBeUndefined();
    expect(runSimple(compileSimple('{{ .a.b }}')!, { a: 'string' })).toBeUndefined();
    expect(runSimple(t, null)).toBeUndefined();
    // And the engine still says what Go says about them.
    expect(renderString('{{ .a }}', {}, { goTemplate: true })).toBe('<no value>');
    expect(renderString('{{ .a }}', {}, { goTemplate: true, goTemplateOptions: ['missingkey=zero'] })).toBe('<no value>');
    expect(() => renderString('{{ .a }}', {}, { goTemplate: true, goTemplateOptions: ['missingkey=error'] })).toThrow('map has no entry for key "a"');
    expect(renderString('{{ .a }}', { a: 3 }, { goTemplate: true })).toBe('3');
  });

  it('agrees with the interpreter on random templates built from the pieces of the syntax', () => {
    // A fixed seed: the same cases every run.
    let seed = 0x5eed;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed >>> 16) % n;
    };
    const pieces = ['{{', '}}', '{{- ', ' -}}', '{{-', '-}}', ' ', '\n', '\t', '.a', '.b', '.c', '.name', '.path', '.basename', 'x', '-', '.', '$', '|', '/*', '*/', '"s"', '"c"', '"environment"', 'index ', '.metadata.labels', 'print', '(', ')'];
    let answered = 0;
    for (let i = 0; i < 3000; i++) {
      let t = '';
      const n = 1 + rand(9);
      for (let j = 0; j < n; j++) t += pieces[rand(pieces.length)];
      // Half of them shaped as an action around field chains, so that many are simple.
      if (i % 2 === 0) {
        const field = `.${['a', 'b', 'path', 'name', 'metadata'][rand(5)]}${['', '.c', '.labels'][rand(3)]}${rand(2) ? '.basename' : ''}`;
        const action = rand(3) === 0 ? `index ${field}${[' "environment"', ' "c"', ' "c" "d"', '', '"c"'][rand(5)]}` : field;
        t = `${['', 'x ', ' \n', '}}'][rand(4)]}{{${rand(2) ? '- ' : ''}${rand(2) ? ' ' : ''}${action}${[' ', '', ' -', '\n'][rand(4)]}}}${t}`;
      }
      answered += checkAgreement(t, DATA[i % DATA.length]);
    }
    expect(answered).toBeGreaterThan(500);
  });
});
