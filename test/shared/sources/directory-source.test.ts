import { describe, expect, it } from 'vitest';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { renderSource } from '../../../shared/sources/registry';
import { sourceInput } from './helpers';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const names = (objs: readonly { metadata?: Record<string, unknown> }[]) => objs.map((o) => o.metadata?.['name']);

describe('directory sources', () => {
  it('reads *.yaml, *.yml and *.json (case-sensitive) in walk order; sub-folders only with recurse', () => {
    const tree = new MemoryFileTree({
      'app/a.yaml': cm('a'),
      'app/b.yml': cm('b'),
      'app/c.YAML': cm('upper'),
      'app/d.json': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d"}}',
      'app/notes.txt': cm('txt'),
      'app/sub/e.yaml': cm('e'),
    });
    const flat = renderSource(sourceInput(tree, 'app'));
    expect(flat.kind).toBe('directory');
    expect(names(flat.objects)).toEqual(['a', 'b', 'd']);
    expect(names(renderSource(sourceInput(tree, 'app', { directory: { recurse: true } })).objects)).toEqual(['a', 'b', 'd', 'e']);
    expect(flat.description).toBe('directory at app');
  });

  it('filters with include/exclude globs on the path relative to the source, {a,b} and ** included, * crossing folders', () => {
    const tree = new MemoryFileTree({ 'app/keep.yaml': cm('keep'), 'app/secret.yaml': cm('secret'), 'app/sub/x.yaml': cm('x'), 'app/prod/p.yaml': cm('p') });
    const only = (directory: Record<string, unknown>) => names(renderSource(sourceInput(tree, 'app', { directory: { recurse: true, ...directory } })).objects);
    expect(only({ exclude: '{secret.yaml,sub/*}' })).toEqual(['keep', 'p']);
    expect(only({ include: 'prod/*' })).toEqual(['p']);
    // `**/` needs a slash: a file at the top of the source does not match it.
    expect(only({ include: '**/*.yaml', exclude: '*/x*' })).toEqual(['p']);
    expect(only({ include: '*.yaml' })).toEqual(['keep', 'p', 'secret', 'x']);
  });

  it('splits multi-document YAML, drops empty documents, flattens kind: List and typed lists, drops null lists', () => {
    const tree = new MemoryFileTree({
      'app/multi.yaml': `---\n${cm('one')}---\n---\n# only a comment\n---\n${cm('two')}`,
      'app/list.yaml': `apiVersion: v1\nkind: List\nitems:\n- ${cm('l1').replace(/\n(?=.)/g, '\n  ')}- ${cm('l2').replace(/\n(?=.)/g, '\n  ')}`,
      'app/null.yaml': 'apiVersion: v1\nkind: ConfigMapList\nitems:\n',
    });
    expect(names(renderSource(sourceInput(tree, 'app')).objects)).toEqual(['l1', 'l2', 'one', 'two']);
  });

  it('ignores unparsable YAML unless it looks like a manifest, then names file and line', () => {
    const ignored = new MemoryFileTree({ 'app/a.yaml': cm('a'), 'app/values.yaml': 'foo: [unclosed\n' });
    expect(names(renderSource(sourceInput(ignored, 'app')).objects)).toEqual(['a']);
    const broken = new MemoryFileTree({ 'app/a.yaml': `${cm('a')}---\ninvalid: ~\n` });
    const r = renderSource(sourceInput(broken, 'app'));
    expect(r.objects).toEqual([]);
    expect(r.problems[0]).toMatchObject({ severity: 'error', app: 'shop', file: 'app/a.yaml', line: 6 });
    expect(r.problems[0]!.message).toContain("Object 'Kind' is missing");
  });

  it('holds a .json file to exactly one object', () => {
    const two = new MemoryFileTree({ 'app/two.json': '{"kind":"ConfigMap","apiVersion":"v1"}\n{"kind":"ConfigMap","apiVersion":"v1"}\n' });
    expect(renderSource(sourceInput(two, 'app')).problems[0]).toMatchObject({ file: 'app/two.json', line: 2, message: 'Found multiple objects in "two.json". Only single objects are allowed in JSON files.' });
    const cut = new MemoryFileTree({ 'app/cut.json': '[' });
    expect(renderSource(sourceInput(cut, 'app')).problems[0]?.message).toBe('Failed to unmarshal "cut.json": unexpected EOF');
  });

  it('skips files carrying +argocd:skip-file-rendering and reads UTF-16 files with a byte-order mark', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...cm('wide')].flatMap((c) => [c.charCodeAt(0), 0])]);
    const tree = new MemoryFileTree({ 'app/skip.yaml': `# +argocd:skip-file-rendering\n${cm('skipped')}`, 'app/wide.yaml': utf16 });
    expect(names(renderSource(sourceInput(tree, 'app')).objects)).toEqual(['wide']);
  });

  it('follows symbolic links inside the repository, skips dangling ones, and refuses one leaving it (naming the file)', () => {
    const tree = new MemoryFileTree({ 'shared/cm.yaml': cm('shared'), 'app/own.yaml': cm('own') });
    tree.setLink('app/linked.yaml', '../shared/cm.yaml');
    tree.setLink('app/nowhere.yaml', 'missing.yaml');
    expect(names(renderSource(sourceInput(tree, 'app')).objects)).toEqual(['shared', 'own']);
    tree.setLink('app/escape.yaml', '../../../etc/hostname');
    const r = renderSource(sourceInput(tree, 'app'));
    expect(r.objects).toEqual([]);
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'error', app: 'shop', file: 'app/escape.yaml' })]);
    expect(r.problems[0]!.message).toContain('illegal filepath in symlink at "escape.yaml"');
  });

  it('evaluates .jsonnet with the Jsonnet evaluator (values substituted), and says so when there is none', () => {
    const tree = new MemoryFileTree({ 'app/main.jsonnet': '{}', 'app/lib.libsonnet': '{}' });
    const missing = renderSource(sourceInput(tree, 'app'));
    expect(missing.problems[0]).toMatchObject({ severity: 'error', file: 'app/main.jsonnet' });
    expect(missing.problems[0]!.message).toContain('no Jsonnet evaluator');
    const seen: unknown[] = [];
    const jsonnet = {
      evaluate(req: { file: string; libs: readonly string[]; extVars: readonly unknown[] }) {
        seen.push(req);
        return { json: JSON.stringify([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-jsonnet' } }]) };
      },
    };
    const r = renderSource(sourceInput(tree, 'app', { directory: { jsonnet: { libs: ['vendor'], extVars: [{ name: 'ns', value: '$ARGOCD_APP_NAMESPACE' }] } } }, { jsonnet }));
    expect(names(r.objects)).toEqual(['from-jsonnet']);
    expect(seen).toEqual([expect.objectContaining({ file: 'app/main.jsonnet', libs: ['app', 'vendor'], extVars: [{ name: 'ns', value: 'web', code: false }] })]);
  });
});
