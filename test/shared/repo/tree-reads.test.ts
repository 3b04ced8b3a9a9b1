// What a computation read of a tree, and whether a change between two commits touches it: every kind of read is
// recorded (files, absent paths, kinds, listings, links followed), listings of whole subtrees become one walk, and a
// change counts exactly when it could make any of those reads answer differently.
import { describe, expect, it } from 'vitest';
import { MemoryFileTree, walkFiles } from '../../../shared/repo/file-tree';
import type { TreeChange, TreeReads } from '../../../shared/repo/tree-reads';
import { TreeReadRecorder, changeTouching, isTreeReads } from '../../../shared/repo/tree-reads';
import { scanRepository } from '../../../shared/repo/scan';

function fleetTree(): MemoryFileTree {
  return new MemoryFileTree({
    'flotilla.yaml': 'kind: Fleet',
    'appsets/apps.yaml': 'kind: ApplicationSet',
    'apps/a/overlays/dev/kustomization.yaml': 'images: []',
    'apps/b/overlays/dev/kustomization.yaml': 'images: []',
    'config/x.json': '{}',
  });
}

const blob = (status: string, path: string): TreeChange => ({ status, path, modes: status === 'A' ? ['000000', '100644'] : status === 'D' ? ['100644', '000000'] : ['100644', '100644'] });
const folder = (status: string, path: string): TreeChange => ({ status, path, modes: status === 'A' ? ['000000', '040000'] : status === 'D' ? ['040000', '000000'] : ['040000', '040000'] });
const none: TreeReads = { files: [], probes: [], lists: [], walks: [], everyFolder: false, unmatched: [] };

describe('recording what is read of a tree', () => {
  it('records files read (absent ones too), kinds asked, folders listed, and answers as the tree does', () => {
    const tree = fleetTree();
    const rec = new TreeReadRecorder();
    const t = rec.wrap(tree);
    expect(rec.wrap(tree)).toBe(t);
    expect(t.read('flotilla.yaml')).toBe('kind: Fleet');
    expect(t.readBytes('config/x.json')).toEqual(new TextEncoder().encode('{}'));
    expect(t.read('config/missing.json')).toBeUndefined();
    expect(t.kind('Chart.yaml')).toBeUndefined();
    expect(t.kind('./apps//a')).toBe('dir');
    expect(t.list('apps')?.map((e) => e.name)).toEqual(['a', 'b']);
    expect(t.list('nowhere')).toBeUndefined();
    expect(t.read('../outside')).toBeUndefined();
    const r = rec.reads();
    expect(r).toEqual({
      files: ['config/missing.json', 'config/x.json', 'flotilla.yaml'],
      // A folder walked (here: listed and absent) stands for the kinds asked inside it.
      probes: ['Chart.yaml', 'apps', 'apps/a'],
      lists: ['apps'],
      walks: ['nowhere'],
      everyFolder: false,
      unmatched: [],
    });
    expect(isTreeReads(r)).toBe(true);
    rec.readEveryFolder();
    expect(rec.reads().everyFolder).toBe(true);
  });

  it('keeps a walk of a whole subtree as one folder, and a folder only partly walked as a listing', () => {
    const rec = new TreeReadRecorder();
    const t = rec.wrap(fleetTree());
    expect(walkFiles(t, 'apps')).toHaveLength(2);
    t.list('');
    const r = rec.reads();
    // Everything under apps was listed; the root was listed, but not appsets or config under it.
    expect(r.walks).toEqual(['apps']);
    expect(r.lists).toEqual(['']);
    // The kinds walkFiles asked on the way (is it a link?) are covered by the walk.
    expect(r.probes).toEqual(['']);
    expect(r.files).toEqual([]);
  });

  it('records where a link leads as well as the path read through it', () => {
    const tree = fleetTree();
    tree.setLink('shared', 'apps/a');
    tree.setLink('apps/c', '../config');
    const rec = new TreeReadRecorder();
    const t = rec.wrap(tree);
    expect(t.read('shared/overlays/dev/kustomization.yaml')).toBe('images: []');
    t.list('apps');
    const r = rec.reads();
    expect(r.files).toEqual(['apps/a/overlays/dev/kustomization.yaml', 'shared/overlays/dev/kustomization.yaml']);
    // The link listed in apps counts by what it leads to, and is not walked into.
    expect(r.probes).toEqual(expect.arrayContaining(['apps/c', 'config']));
    expect(r.lists).toEqual(['apps']);
    // So a change behind the link touches what was read through it.
    expect(changeTouching(r, [blob('M', 'apps/a/overlays/dev/kustomization.yaml')])).toBeDefined();
    expect(changeTouching(r, [folder('D', 'config')])).toBeDefined();
  });
});

describe('whether a change touches what was read', () => {
  const reads: TreeReads = {
    files: ['appsets/apps.yaml', 'config/x.json', 'flotilla.yaml', 'pipeline.yaml'],
    probes: ['Chart.yaml', 'appsets/Chart.yaml', 'pipeline.yaml'],
    lists: ['', 'apps', 'config'],
    walks: ['appsets'],
    everyFolder: false,
    unmatched: [],
  };

  it('leaves out a change to a file nothing read, and the folders above it', () => {
    const overlay = [folder('M', 'apps'), folder('M', 'apps/a'), folder('M', 'apps/a/overlays'), folder('M', 'apps/a/overlays/dev'), blob('M', 'apps/a/overlays/dev/kustomization.yaml')];
    expect(changeTouching(reads, overlay)).toBeUndefined();
    // A file added or removed deeper than any folder listed.
    expect(changeTouching(reads, [folder('M', 'apps/a'), blob('A', 'apps/a/extra.yaml'), blob('D', 'apps/a/overlays/dev/kustomization.yaml')])).toBeUndefined();
    expect(changeTouching(reads, [blob('M', 'README.md')])).toBeUndefined();
  });

  it('counts a file read that was modified, deleted or changed in type', () => {
    expect(changeTouching(reads, [blob('M', 'flotilla.yaml')])?.path).toBe('flotilla.yaml');
    expect(changeTouching(reads, [blob('D', 'config/x.json')])?.path).toBe('config/x.json');
    expect(changeTouching(reads, [{ status: 'T', path: 'README.md', modes: ['100644', '120000'] }])).toBeDefined();
  });

  it('counts a path added to or removed from a listed folder, under a walked one, or where a kind was asked', () => {
    expect(changeTouching(reads, [folder('A', 'apps/c'), blob('A', 'apps/c/overlays/dev/kustomization.yaml')])?.path).toBe('apps/c');
    expect(changeTouching(reads, [blob('A', 'config/y.json')])).toBeDefined();
    expect(changeTouching(reads, [folder('A', 'appsets/more'), blob('A', 'appsets/more/x.yaml')])).toBeDefined();
    expect(changeTouching(reads, [blob('A', 'appsets/more.yaml')])).toBeDefined();
    // Looked for and absent, now there.
    expect(changeTouching(reads, [blob('A', 'Chart.yaml')])).toBeDefined();
    expect(changeTouching(reads, [blob('A', 'appsets/Chart.yaml')])).toBeDefined();
    // A top-level folder added: the root was listed.
    expect(changeTouching(reads, [folder('A', 'docs'), blob('A', 'docs/x.md')])).toBeDefined();
  });

  it('counts any path added or removed once every folder was asked for, and any link or submodule changed', () => {
    const deep = [folder('M', 'apps/a'), blob('A', 'apps/a/extra.yaml')];
    expect(changeTouching(reads, deep)).toBeUndefined();
    expect(changeTouching({ ...reads, everyFolder: true }, deep)).toBeDefined();
    expect(changeTouching(none, [{ status: 'M', path: 'apps/a/link', modes: ['120000', '120000'] }])).toBeDefined();
    expect(changeTouching(none, [{ status: 'A', path: 'vendor/lib', modes: ['000000', '160000'] }])).toBeDefined();
    expect(changeTouching(none, [{ status: 'X', path: 'README.md', modes: ['100644', '100644'] }])).toBeDefined();
    expect(changeTouching(none, [blob('M', 'README.md'), folder('M', 'apps')])).toBeUndefined();
  });

  it('takes only a well-formed record of reads', () => {
    expect(isTreeReads(none)).toBe(true);
    expect(isTreeReads({ ...none, files: [1] })).toBe(false);
    expect(isTreeReads({ ...none, everyFolder: undefined })).toBe(false);
    expect(isTreeReads(null)).toBe(false);
  });
});

describe('files read only to be found not to match a pattern', () => {
  const APP = /\bkind:\s*Application\b/;
  const change = (path: string, after: string): TreeChange => ({ status: 'M', path, modes: ['100644', '100644'], objects: ['1'.repeat(40), after] });

  it('are kept apart from files read whole, by pattern, and answer as the tree does', () => {
    const rec = new TreeReadRecorder();
    const t = rec.wrap(fleetTree());
    expect(t.readMatching!('appsets/apps.yaml', /kind: ApplicationSet/)).toBe('kind: ApplicationSet');
    expect(t.readMatching!('apps/a/overlays/dev/kustomization.yaml', APP)).toBeUndefined();
    expect(t.readMatching!('apps/b/overlays/dev/kustomization.yaml', APP)).toBeUndefined();
    expect(t.readMatching!('apps/missing.yaml', APP)).toBeUndefined();
    // Read whole by another reader as well: a file read whole.
    t.read('apps/b/overlays/dev/kustomization.yaml');
    const r = rec.reads();
    expect(r.files).toEqual(['apps/b/overlays/dev/kustomization.yaml', 'apps/missing.yaml', 'appsets/apps.yaml']);
    expect(r.unmatched).toEqual([{ pattern: APP.source, flags: '', paths: ['apps/a/overlays/dev/kustomization.yaml'] }]);
    expect(isTreeReads(r)).toBe(true);
    expect(isTreeReads({ ...r, unmatched: [{ pattern: '(', flags: '', paths: [] }] })).toBe(false);
  });

  it('count as touched only when modified to match, or when the new text cannot be read', () => {
    const reads: TreeReads = { ...none, files: ['appsets/apps.yaml'], unmatched: [{ pattern: APP.source, flags: APP.flags, paths: ['apps/a/k.yaml'] }] };
    const texts = new Map([['a'.repeat(40), 'images:\n  - name: web\n    newTag: 1.2.4\n'], ['b'.repeat(40), 'kind: Application\n']]);
    const after = (c: TreeChange): string | undefined => texts.get(c.objects![1]);
    expect(changeTouching(reads, [change('apps/a/k.yaml', 'a'.repeat(40))], after)).toBeUndefined();
    expect(changeTouching(reads, [change('apps/a/k.yaml', 'b'.repeat(40))], after)).toBeDefined();
    expect(changeTouching(reads, [change('apps/a/k.yaml', 'c'.repeat(40))], after)).toBeDefined();
    // Without a way to read the new text, a change to such a file counts.
    expect(changeTouching(reads, [change('apps/a/k.yaml', 'a'.repeat(40))])).toBeDefined();
    // Added or deleted: counted as a file read.
    expect(changeTouching(reads, [blob('D', 'apps/a/k.yaml')], after)).toBeDefined();
    // A file read whole counts whatever its new text.
    expect(changeTouching(reads, [change('appsets/apps.yaml', 'a'.repeat(40))], after)).toBeDefined();
  });

  it('the scan reads a file it finds nothing in that way, so the promotion of an overlay touches nothing it read', () => {
    const tree = new MemoryFileTree({
      'flotilla.yaml': 'apiVersion: flotilla.dev/v1alpha1\nkind: Fleet\nmetadata:\n  name: f\nspec: {}\n',
      'appsets/apps.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: apps\nspec:\n  generators: []\n  template: {}\n',
      'apps/web/overlays/prod/kustomization.yaml': 'images:\n  - name: web\n    newTag: 1.2.3\n',
    });
    const rec = new TreeReadRecorder();
    scanRepository(rec.wrap(tree));
    const r = rec.reads();
    expect(r.files).toContain('appsets/apps.yaml');
    expect(r.files).not.toContain('apps/web/overlays/prod/kustomization.yaml');
    expect(r.unmatched.flatMap((u) => u.paths)).toContain('apps/web/overlays/prod/kustomization.yaml');
    const promoted = (c: TreeChange): string | undefined => (c.objects![1] === 'a'.repeat(40) ? 'images:\n  - name: web\n    newTag: 1.2.4\n' : undefined);
    expect(changeTouching(r, [change('apps/web/overlays/prod/kustomization.yaml', 'a'.repeat(40))], promoted)).toBeUndefined();
    expect(changeTouching(r, [change('appsets/apps.yaml', 'a'.repeat(40))], promoted)).toBeDefined();
  });
});
