import { describe, expect, it } from 'vitest';
import { admissionCelEnvironment } from '../../../../shared/validate/admission/cel-library';

// The Kubernetes CEL libraries that cel-js lacks, with the results the Kubernetes documentation gives
// (https://kubernetes.io/docs/reference/using-api/cel/).
const run = (expression: string, vars: Record<string, unknown> = {}): unknown => admissionCelEnvironment().parse(expression)(vars);

describe('the Kubernetes CEL libraries in the admission environment', () => {
  it.each([
    ['[1, 2, 3].isSorted()', true], ["['b', 'a'].isSorted()", false], ['[1, 2, 3].sum()', 6n], ['[1.5, 2.5].sum()', 4],
    ['[3, 1, 2].min()', 1n], ['[3, 1, 2].max()', 3n], ["['b', 'c', 'a'].max()", 'c'],
    ['[1, 2, 2, 3].indexOf(2)', 1n], ['[1, 2, 2, 3].lastIndexOf(2)', 2n], ['[1, 2].indexOf(5)', -1n],
  ])('lists: %s is %s', (expr, want) => expect(run(expr)).toEqual(want));

  it.each([
    ["'abc'.charAt(1)", 'b'], ["'abc'.charAt(3)", ''], ["'hello'.replace('l', 'L')", 'heLLo'], ["'hello'.replace('l', 'L', 1)", 'heLlo'],
    ["'abc'.reverse()", 'cba'], ["'abc 123'.find('[0-9]+')", '123'], ["'abc'.find('[0-9]+')", ''],
    ["'%s is %d years'.format(['x', 30])", 'x is 30 years'], ["'%.2f %%'.format([1.2345])", '1.23 %'], ["'%x %X %o %b'.format([255, 255, 8, 5])", 'ff FF 10 101'],
    ["'%s'.format([[1, 'a']])", '[1, a]'], ["'%e'.format([1000.0])", '1.000000e+03'], ["'%s'.format([true])", 'true'],
    ["'123 abc 456'.findAll('[0-9]+')", ['123', '456']], ["'123 abc 456'.findAll('[0-9]+', 1)", ['123']],
  ])('strings and regex: %s is %s', (expr, want) => expect(run(expr)).toEqual(want));

  it.each([
    ["url('https://example.com:80/path?query=val').getScheme()", 'https'], ["url('https://example.com:80/path').getHost()", 'example.com:80'],
    ["url('https://[::1]:80/').getHostname()", '::1'], ["url('https://example.com:80/').getPort()", '80'], ["url('https://example.com/').getPort()", ''],
    ["url('https://example.com/path with spaces/').getEscapedPath()", '/path with spaces/'],
    ["url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()", { k1: ['a'], k2: ['b', 'c'] }],
    ["isURL('/absolute-path')", true], ["isURL('https://example.com:80/path?query=val#fragment')", true], ["isURL('../relative-path')", false], ["isURL('example dot com')", false],
  ])('urls: %s is %s', (expr, want) => expect(run(expr)).toEqual(want));

  it.each([
    ["quantity('500m').isLessThan(quantity('1'))", true], ["quantity('1Gi').compareTo(quantity('1024Mi'))", 0n], ["quantity('2Gi').isGreaterThan(quantity('1G'))", true],
    ["isQuantity('1.3')", true], ["isQuantity('1.3Gi')", true], ["isQuantity('abc')", false], ["quantity('50k').asInteger()", 50000n],
    ["quantity('1.5').isInteger()", false], ["quantity('50k').isInteger()", true], ["quantity('-1').sign()", -1n], ["quantity('50k').add(quantity('20k')).asInteger()", 70000n],
    ["quantity('50k').sub(20000).asApproximateFloat()", 30000],
  ])('quantities: %s is %s', (expr, want) => expect(run(expr)).toEqual(want));

  it.each([
    ['sets.contains([1, 2, 3], [1, 2])', true], ['sets.contains([1], [1, 2])', false], ['sets.equivalent([1, 2], [2, 1, 1])', true],
    ['sets.intersects([1, 2], [2, 3])', true], ['sets.intersects([1], [2])', false],
  ])('sets: %s is %s', (expr, want) => expect(run(expr)).toEqual(want));

  it('fails as the API server does on empty lists, bad indexes, quantities and URLs', () => {
    expect(() => run('[].min()')).toThrow(/empty list/);
    expect(() => run("'abc'.charAt(4)")).toThrow(/index out of range/);
    expect(() => run("quantity('abc')")).toThrow(/quantities must match/);
    expect(() => run("url('example dot com')")).toThrow(/URL parse error/);
    expect(() => run("quantity('1.5').asInteger()")).toThrow(/cannot convert/);
    expect(() => run("'%s %s'.format(['a'])")).toThrow(/out of range/);
    expect(() => run("'%d'.format(['a'])")).toThrow(/decimal clause/);
  });

  it('offers the admission variables and optional types, and not authorizer', () => {
    expect(run("object.?metadata.?labels.?team.orValue('none')", { object: { metadata: {} } })).toBe('none');
    expect(run('variables.x + 1', { variables: { x: 1n } })).toBe(2n);
    expect(admissionCelEnvironment().check("authorizer.group('apps').resource('deployments').check('create').allowed()").valid).toBe(false);
  });
});
