// Argo CD's Render semantics on top of the engines: fasttemplate rules, deep rendering of Applications, generator interpolation, values.
import { describe, expect, it } from 'vitest';
import {
  TemplateError,
  appendTemplatedValues,
  compileTemplateParams,
  interpolateGenerator,
  renderString,
  renderTemplateParams,
  sanitizeName,
  slugify,
} from '../../../../shared/appset/template';
import type { TemplateMode } from '../../../../shared/appset/template';
import type { Params } from '../../../../shared/model/params';

const FAST: TemplateMode = { goTemplate: false };
const GO: TemplateMode = { goTemplate: true };
const GO_STRICT: TemplateMode = { goTemplate: true, goTemplateOptions: ['missingkey=error'] };

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('fasttemplate mode', () => {
  it('replaces known string keys, with or without spaces inside the braces', () => {
    expect(renderString('{{name}}-{{ server }}-{{  name  }}', { name: 'in-cluster', server: 'https://x' }, FAST)).toBe('in-cluster-https://x-in-cluster');
  });

  it('leaves unknown keys, empty tags and non-string values as written', () => {
    expect(renderString('{{nope}} {{ }} {{n}} {{ m }}', { n: 3, m: { a: 1 } }, FAST)).toBe('{{nope}} {{ }} {{n}} {{ m }}');
  });

  it('does not render what it substituted', () => {
    expect(renderString('{{a}}', { a: '{{b}}', b: 'no' }, FAST)).toBe('{{b}}');
  });

  it('keys may contain dots and brackets, as the generators produce them', () => {
    expect(renderString('{{path.basename}}/{{path[0]}}/{{values.env}}', { 'path.basename': 'app', 'path[0]': 'apps', 'values.env': 'prod' }, FAST)).toBe('app/apps/prod');
  });

  it('returns strings without a same-line {{...}} untouched, even with a lone or split brace', () => {
    expect(renderString('}} {{', { a: 'x' }, FAST)).toBe('}} {{');
    expect(renderString('{{a\n}}', { a: 'x' }, FAST)).toBe('{{a\n}}');
  });

  it('reports a missing closing brace instead of crashing', () => {
    const err = errorOf(() => renderString('{{properly.closed}} {{improperly.closed}', {}, FAST));
    expect(err).toBeInstanceOf(TemplateError);
    expect(err.message).toBe('invalid template: cannot find end tag="}}" in the template="{{properly.closed}} {{improperly.closed}" starting from "improperly.closed}"');
  });
});

describe('goTemplate mode', () => {
  it('prints <no value> for a missing key by default and fails with missingkey=error', () => {
    expect(renderString('{{ .nope }}', { a: 1 }, GO)).toBe('<no value>');
    expect(errorOf(() => renderString('x {{ .nope }}', { a: 1 }, GO_STRICT)).message).toBe(
      'failed to execute go template x {{ .nope }}: template: base:1:5: executing "base" at <.nope>: map has no entry for key "nope"',
    );
  });

  it('rejects an unknown template option', () => {
    expect(errorOf(() => renderString('{{ .a }}', { a: 1 }, { goTemplate: true, goTemplateOptions: ['bogus'] })).message).toBe('unrecognized option: bogus');
  });

  it('offers Argo CD normalize and slugify', () => {
    expect(renderString('{{ normalize .n }}|{{ slugify .n }}|{{ slugify 10 false .n }}', { n: 'Feature/My_Branch.Name' }, GO)).toBe('feature-my-branch.name|feature-my-branch-name|feature-my');
  });

  it('renders the same template against many param sets from one compiled copy', () => {
    const out = Array.from({ length: 200 }, (_, i) => renderString('{{ .name }}-{{ add .i 1 }}', { name: `app${i}`, i }, GO));
    expect(out[0]).toBe('app0-1');
    expect(out[199]).toBe('app199-200');
  });
});

describe('renderTemplateParams', () => {
  const template = {
    metadata: { name: '{{name}}-guestbook', labels: { 'env-{{env}}': '{{env}}' }, annotations: { note: null } },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git/{{name}}', helm: { valuesObject: { replicas: 2, enabled: true, host: '{{name}}.example.com' } } },
      destination: { server: '{{server}}', namespace: 'guestbook' },
    },
  };
  const params = { name: 'prod', env: 'eu', server: 'https://prod' };

  it('renders string values and map keys, keeps other leaves, drops null map entries', () => {
    const app = renderTemplateParams(template, null, params, FAST) as typeof template & { metadata: { finalizers: string[] } };
    expect(app.metadata.name).toBe('prod-guestbook');
    expect(app.metadata.labels).toEqual({ 'env-eu': 'eu' });
    expect(app.metadata.annotations).toEqual({});
    expect(app.spec.source).toEqual({ repoURL: 'https://git/prod', helm: { valuesObject: { replicas: 2, enabled: true, host: 'prod.example.com' } } });
    expect(app.spec.destination.server).toBe('https://prod');
  });

  it('does not modify the template it was given', () => {
    const before = structuredClone(template);
    renderTemplateParams(template, null, params, FAST);
    expect(template).toEqual(before);
  });

  it('returns the template itself when there are no params (no finalizer added)', () => {
    expect(renderTemplateParams(template, null, {}, FAST)).toBe(template);
  });

  it('adds the resources finalizer unless finalizers are set or resources are preserved on deletion', () => {
    const finalizers = (syncPolicy: unknown, metadata: Record<string, unknown> = {}): unknown =>
      (renderTemplateParams({ metadata }, syncPolicy, { a: 'b' }, GO) as { metadata: { finalizers?: unknown } }).metadata.finalizers;
    expect(finalizers(null)).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(finalizers({}, { finalizers: [] })).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(finalizers({ preserveResourcesOnDeletion: true })).toBeUndefined();
    expect(finalizers({ preserveResourcesOnDeletion: true }, { finalizers: ['x'] })).toEqual(['x']);
    expect(finalizers(null, { finalizers: ['resources-finalizer.argocd.argoproj.io/background'] })).toEqual(['resources-finalizer.argocd.argoproj.io/background']);
  });

  it('fails on an empty template and propagates template errors', () => {
    expect(errorOf(() => renderTemplateParams(undefined, null, params, FAST)).message).toBe('application template is empty');
    expect(errorOf(() => renderTemplateParams({ metadata: { name: '{{ .a.b }}' } }, null, { a: 'x' }, GO)).message).toBe(
      'failed to execute go template {{ .a.b }}: template: base:1:5: executing "base" at <.a.b>: can\'t evaluate field b in type interface {}',
    );
  });
});

/** The deep render as written before it was compiled (Argo CD's RenderTemplateParams, string by string): the reference. */
function referenceRender(template: unknown, syncPolicy: unknown, params: Params, mode: TemplateMode): unknown {
  const step = <T>(where: string | number, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof TemplateError) e.fieldPath.unshift(where);
      throw e;
    }
  };
  const deep = (v: unknown): unknown => {
    if (typeof v === 'string') return renderString(v, params, mode);
    if (Array.isArray(v)) return v.map((item, i) => step(i, () => deep(item)));
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[k];
      if (item === null || item === undefined) continue;
      step(k, () => {
        const rendered = deep(item);
        const key = k.includes('{{') ? renderString(k, params, mode) : k;
        Object.defineProperty(out, key, { value: rendered, enumerable: true, writable: true, configurable: true });
      });
    }
    return out;
  };
  if (Object.keys(params).length === 0) return template;
  const app = deep(template) as Record<string, unknown>;
  const meta = typeof app.metadata === 'object' && app.metadata !== null && !Array.isArray(app.metadata) ? (app.metadata as Record<string, unknown>) : {};
  const preserve = (syncPolicy as { preserveResourcesOnDeletion?: unknown } | null)?.preserveResourcesOnDeletion === true;
  if (!preserve && (!Array.isArray(meta.finalizers) || meta.finalizers.length === 0)) app.metadata = { ...meta, finalizers: ['resources-finalizer.argocd.argoproj.io'] };
  return app;
}

describe('compileTemplateParams', () => {
  const template = JSON.parse(
    JSON.stringify({
      metadata: { name: '{{ .path.basename }}-{{ .name }}', labels: { '{{ .name }}': 'x', keep: 'y', '{{ .proto }}': 'p' }, '__proto__': '{{ .name }}', finalizers: [] },
      spec: { project: 'default', source: { path: '{{ .path.path }}/{{ index .labels "env" }}', list: ['{{ .name }}', 3, null, true, { a: '{{ .name }}', b: null }] }, destination: { server: '{{ .server }}' } },
    }),
  ) as Record<string, unknown>;
  const sets: Params[] = [
    { name: 'dev', server: 'https://dev', path: { basename: 'a', path: 'apps/a' }, labels: { env: 'dev' }, proto: '__proto__' },
    { name: 'prod', server: 'https://prod', path: { basename: 'b', path: 'apps/b' }, labels: { env: 'prod' }, proto: 'keep' },
    { name: 'odd', server: 7, path: { basename: 'c' }, labels: {}, proto: 'z' },
    { name: 'nil', server: null, path: null, labels: null, proto: 'z' },
  ];
  const outcome = (f: () => unknown): unknown => {
    try {
      return JSON.stringify(f());
    } catch (e) {
      return `error: ${(e as Error).message} at ${JSON.stringify((e as TemplateError).fieldPath)}`;
    }
  };

  it('renders each parameter set as the deep render does, into objects of its own', () => {
    for (const mode of [GO, GO_STRICT, { goTemplate: true, goTemplateOptions: ['missingkey=zero'] }, FAST]) {
      for (const syncPolicy of [null, { preserveResourcesOnDeletion: true }]) {
        const render = compileTemplateParams(template, syncPolicy, mode);
        for (const p of sets) expect(outcome(() => render(p))).toEqual(outcome(() => referenceRender(template, syncPolicy, p, mode)));
      }
    }
    const render = compileTemplateParams(template, null, GO);
    const [a, b] = [render(sets[0]!), render(sets[0]!)] as { spec: { source: { list: unknown[] } } }[];
    expect(a).toEqual(b);
    expect(a!.spec.source.list).not.toBe(b!.spec.source.list);
    expect(render({})).toBe(template);
  });

  it('points each failure at its field, afresh on every render', () => {
    const render = compileTemplateParams({ spec: { source: { path: '{{ .nope }}' } } }, null, GO_STRICT);
    for (let i = 0; i < 2; i++) {
      const err = errorOf(() => render({ a: 'b' })) as TemplateError;
      expect(err.fieldPath).toEqual(['spec', 'source', 'path']);
    }
    const bad = compileTemplateParams({ metadata: { name: 'literal' } }, null, { goTemplate: true, goTemplateOptions: ['bogus'] });
    for (let i = 0; i < 2; i++) expect((errorOf(() => bad({ a: 'b' })) as TemplateError).fieldPath).toEqual(['metadata', 'name']);
  });
});

describe('interpolateGenerator', () => {
  it('renders a child generator with the previous generator params', () => {
    const gen = { git: { repoURL: 'https://git/{{name}}.git', files: [{ path: '{{name}}/*.yaml' }], revision: 'main' } };
    expect(interpolateGenerator(gen, { name: 'c1' }, FAST)).toEqual({ git: { repoURL: 'https://git/c1.git', files: [{ path: 'c1/*.yaml' }], revision: 'main' } });
  });

  it('pre-renders `values` only when the params answer every reference (goTemplate)', () => {
    const gen = { clusters: { values: { env: '{{ .path.basename }}', cluster: '{{ .name }}', fixed: 'x' } } };
    expect(interpolateGenerator(gen, { path: { basename: 'guestbook' } }, GO)).toEqual({
      clusters: { values: { env: 'guestbook', cluster: '{{ .name }}', fixed: 'x' } },
    });
  });

  it('keeps unknown fasttemplate references in `values` for the generator itself', () => {
    const gen = { clusters: { values: { env: '{{path.basename}}', cluster: '{{name}}' } } };
    expect(interpolateGenerator(gen, { 'path.basename': 'guestbook' }, FAST)).toEqual({ clusters: { values: { env: 'guestbook', cluster: '{{name}}' } } });
  });

  it('reports broken `values` templates with the key', () => {
    const err = errorOf(() => interpolateGenerator({ clusters: { values: { bad: '{{ .x' } } }, { x: 1 }, GO));
    expect(err.message).toContain('failed to pre-resolve Values key "bad": failed to parse template {{ .x: template: base:1: unclosed action');
  });

  it('interpolates nested matrix children with the same rule', () => {
    const gen = { matrix: { generators: [{ list: { elements: [{ a: '{{ .n }}' }] } }, { clusters: { values: { c: '{{ .name }}' } } }] } };
    expect(interpolateGenerator(gen, { n: 'one' }, GO)).toEqual({
      matrix: { generators: [{ list: { elements: [{ a: 'one' }] } }, { clusters: { values: { c: '{{ .name }}' } } }] },
    });
  });

  it('fails on a missing generator, returns the generator as is without params, and wraps errors', () => {
    expect(errorOf(() => interpolateGenerator(null, { a: 'b' }, FAST)).message).toBe('generator is empty');
    const gen = { list: { elements: [] } };
    expect(interpolateGenerator(gen, {}, FAST)).toBe(gen);
    expect(errorOf(() => interpolateGenerator({ git: { repoURL: '{{ index .m 1 }}' } }, { m: { a: 1 } }, GO)).message).toMatch(
      /^failed to replace parameters in generator: failed to execute go template/,
    );
  });
});

describe('appendTemplatedValues', () => {
  it('adds flat values.<key> entries rendered against the params before any value', () => {
    const params = { name: 'c1' };
    const out = appendTemplatedValues({ a: '{{name}}', b: '{{values.a}}' }, params, FAST);
    expect(out).toEqual({ name: 'c1', 'values.a': 'c1', 'values.b': '{{values.a}}' });
    expect(params).toEqual({ name: 'c1' });
  });

  it('adds a values map in goTemplate mode', () => {
    expect(appendTemplatedValues({ a: '{{ .name | upper }}', b: '{{ .values.a }}' }, { name: 'c1' }, GO)).toEqual({ name: 'c1', values: { a: 'C1', b: '<no value>' } });
  });

  it('returns the params unchanged without values', () => {
    const params = { name: 'c1' };
    expect(appendTemplatedValues(undefined, params, GO)).toBe(params);
  });
});

describe('name helpers', () => {
  it('sanitizeName makes DNS-1123 subdomain names', () => {
    expect(sanitizeName('-.--CLUSTER/name  -./.-')).toBe('cluster-name');
    expect(sanitizeName('a'.repeat(300))).toHaveLength(253);
  });

  it('slugify cuts at a word boundary when smart truncation is on', () => {
    expect(slugify('feat/areallylongpullrequestnametotestargoslugificationandbranchnameshorteningfeature', 50, true)).toBe('feat');
    expect(slugify('feat/areallylongpullrequestnametotestargoslugificationandbranchnameshorteningfeature', 50, false)).toBe('feat-areallylongpullrequestnametotestargoslugifica');
  });
});

describe('engine limits and caching', () => {
  it('stops a runaway range instead of hanging', () => {
    expect(errorOf(() => renderString('{{ range 100000000 }}{{ end }}', { a: 1 }, GO)).message).toBe(
      'failed to execute go template {{ range 100000000 }}{{ end }}: template: base:1:9: executing "base" at <{{range 100000000}}{{end}}>: range: more than 5000000 iterations in one execution (TEMPLATE_LIMITS.maxRangeIterations)',
    );
  });

  it('stops unbounded template recursion', () => {
    const t = '{{ define "loop" }}{{ template "loop" . }}{{ end }}{{ template "loop" . }}';
    expect(errorOf(() => renderString(t, { a: 1 }, GO)).message).toContain('exceeded maximum template depth (1000)');
  });

  it('reports the same parse error every time a broken template is rendered', () => {
    const first = errorOf(() => renderString('{{ if .a }}', { a: 1 }, GO)).message;
    expect(first).toBe('failed to parse template {{ if .a }}: template: base:1: unexpected EOF');
    expect(errorOf(() => renderString('{{ if .a }}', { a: 2 }, GO)).message).toBe(first);
  });

  it('missingkey=zero yields the nil value, which prints as <no value> and fails on a further field', () => {
    expect(renderString('{{ .x }}', { a: 1 }, { goTemplate: true, goTemplateOptions: ['missingkey=zero'] })).toBe('<no value>');
    expect(errorOf(() => renderString('{{ .x.y }}', { a: 1 }, { goTemplate: true, goTemplateOptions: ['missingkey=zero'] })).message).toBe(
      'failed to execute go template {{ .x.y }}: template: base:1:5: executing "base" at <.x.y>: nil pointer evaluating interface {}.y',
    );
  });
});

describe('map keys from templates', () => {
  it('treats __proto__ as an ordinary key', () => {
    expect(renderString('{{ $d := dict "__proto__" "x" }}{{ get $d "__proto__" }} {{ toJson $d }} {{ keys $d }}', { a: 1 }, GO)).toBe('x {"__proto__":"x"} [__proto__]');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('regular expressions', () => {
  it('match with RE2 semantics in linear time, where a backtracking engine would hang', () => {
    const evil = `${'a'.repeat(5000)}!`;
    expect(renderString('{{ regexMatch "^(a+)+$" .s }}|{{ regexFind "(?U)a+" .s }}', { s: evil }, GO)).toBe('false|a');
  });
});

describe('tpl (Argo CD renders a string as a template)', () => {
  it('renders with the current functions and definitions, dropping <no value>', () => {
    const params = { name: 'guestbook', t: '{{ .name | upper }}{{ .nope }}!' };
    expect(renderString('{{ define "d" }}D{{ end }}{{ tpl .t . }}|{{ tpl "{{ template \\"d\\" }}" . }}', params, GO)).toBe('GUESTBOOK!|D');
  });

  it('reports parse and execution failures of the inner template', () => {
    expect(errorOf(() => renderString('{{ tpl "{{ .a" . }}', { a: 1 }, GO)).message).toBe(
      'failed to execute go template {{ tpl "{{ .a" . }}: template: base:1:3: executing "base" at <tpl "{{ .a" .>: error calling tpl: cannot parse template "{{ .a": template: base:1: unclosed action',
    );
  });
});
