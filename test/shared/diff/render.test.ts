import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toDiffYaml } from '../../../shared/diff/render';

const tricky: Record<string, unknown> = {
  yes: 'yes', on: 'on', one: '1', half: '0.5', exp: '1e3', empty: '', lead: ' x', colonSpace: 'a: b', hash: 'x #y', url: 'http://a:80/b',
  trailingColon: 'foo:', dash: '- x', block: 'multi\nline\n', noTrail: 'no-trail\nx', twoTrail: 'two\n\n', unicode: 'üñí', at: '@x',
  dq: 'a"b', sq: "a'b", brace: '{x}', star: '*x', amp: '&x', bang: '!x', pct: '%x', tab: 'a\tb', dot5: '.5', hex: '0x1F', clock: '12:30',
  version: '1.2.3', time: '2026-11-20T09:12:44Z', nul: 'null', tilde: '~', leadBlock: '  lead\nx', spaceEnd: 'end with space \nx',
  flag: '--port=80', v1: 'v1', plus: '+1', lone: '-', q: '?', comma: ',', commaIn: 'a,b', envRef: '$(VAR)', bracket: 'a]b', pctEnd: '25%',
  milli: '500m', inf: '.inf', underscore: '1_000', n: 42, f: 1.5, neg: -3, t: true, nothing: null,
  'key: colon': 1, y: 2, 'k.with/slash': { 'x.y': 1 },
  list: [1, 'two', { x: 1, y: [] }, [], {}, [1, [2]], null, true],
  emptyMap: {},
};

describe('toDiffYaml', () => {
  it('writes YAML that reads back (as YAML 1.1, like Kubernetes tools) to the same data, for awkward strings too', () => {
    expect(parse(toDiffYaml(tricky), { version: '1.1' })).toEqual(tricky);
  });

  it('sorts keys and does not indent sequences under their key, as sigs.k8s.io/yaml does', () => {
    const text = toDiffYaml({
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], args: ['--a', '--b'] }] } } },
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'web', annotations: { note: 'line one\nline two\n' } },
    });
    expect(text).toBe(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  annotations:',
        '    note: |',
        '      line one',
        '      line two',
        '  name: web',
        'spec:',
        '  replicas: 3',
        '  template:',
        '    spec:',
        '      containers:',
        '      - args:',
        '        - --a',
        '        - --b',
        '        image: nginx:1.27',
        '        name: web',
        '        ports:',
        '        - containerPort: 80',
        '',
      ].join('\n'),
    );
  });
});
