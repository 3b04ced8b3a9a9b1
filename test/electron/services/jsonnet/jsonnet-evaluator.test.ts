import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsFileTree } from '../../../../electron/services/fs-file-tree';
import { createJsonnetEvaluator, findJsonnet } from '../../../../electron/services/jsonnet/jsonnet-evaluator';
import { MemoryFileTree } from '../../../../shared/repo/file-tree';
import type { FileTree } from '../../../../shared/repo/file-tree';
import { directorySource } from '../../../../shared/sources/directory-source';
import { renderSource } from '../../../../shared/sources/registry';
import type { JsonnetEvaluator, SourceInput } from '../../../../shared/sources/types';
import { tempDir, writeFiles } from '../../../helpers/git-fixtures';
import { repoRoot } from '../../../helpers/paths';

// Jsonnet through go-jsonnet (what Argo CD links), built from its Go module by scripts/jsonnet-bin.sh when missing.

let jsonnet: string | null = null;
let evaluator: JsonnetEvaluator;
beforeAll(() => {
  jsonnet = findJsonnet();
  if (!jsonnet) {
    console.log('jsonnet-evaluator.test: building go-jsonnet with scripts/jsonnet-bin.sh (once)');
    jsonnet = execFileSync(path.join(repoRoot, 'scripts', 'jsonnet-bin.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!;
  }
  evaluator = createJsonnetEvaluator(jsonnet);
});

const files: Record<string, string> = {
  'apps/guestbook/main.jsonnet': [
    "local params = import 'params.libsonnet';",
    "local k = import 'k.libsonnet';",
    'function(replicas=1, tag="v1") [',
    "  k.deployment(params.name, replicas, tag),",
    "  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: params.name + '-env' }, data: { env: std.extVar('env'), region: std.toString(std.extVar('region')) } },",
    ']',
    '',
  ].join('\n'),
  'apps/guestbook/params.libsonnet': "{ name: 'guestbook' }\n",
  'lib/k.libsonnet': "{ deployment(name, replicas, tag):: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: name }, spec: { replicas: replicas, template: { spec: { containers: [{ name: name, image: 'gb:' + tag }] } } } } }\n",
  'apps/single/cm.jsonnet': "{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'single' }, data: { text: importstr 'note.txt' } }\n",
  'apps/single/note.txt': 'hello from a file',
  'apps/broken/main.jsonnet': "{\n  apiVersion: 'v1',\n  kind: 'ConfigMap'\n  metadata: {},\n}\n",
  'apps/failing/main.jsonnet': "{\n  a: error 'the config is wrong',\n}\n",
  'apps/scalar/main.jsonnet': '42\n',
  'apps/lists/main.jsonnet': "[null, { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'la' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lb' } }] }]\n",
};

function input(tree: FileTree, sourcePath: string, jsonnetOpts: Record<string, unknown> = {}): SourceInput {
  return {
    app: 'guestbook',
    tree,
    path: sourcePath,
    source: { repoURL: 'https://git.example.com/repo.git', path: sourcePath, directory: { jsonnet: jsonnetOpts } },
    env: { ARGOCD_APP_NAME: 'guestbook', ARGOCD_APP_NAMESPACE: 'prod' },
    refs: new Map(),
    loadRestrictor: 'rootOnly',
    tools: { jsonnet: evaluator },
  };
}

/** A directory source over one folder (include: the one file), through the registry as the product renders it. */
function renderJsonnetFile(inp: SourceInput, file: string) {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const dir = (inp.source.directory ?? {}) as Record<string, unknown>;
  return renderSource({ ...inp, source: { ...inp.source, directory: { ...dir, include: name } } }, [directorySource]);
}

describe('Jsonnet files through go-jsonnet', () => {
  const work = tempDir('flotilla-jsonnet-');
  afterAll(() => work.cleanup());

  it('evaluates with tlas, extVars (env-substituted, code and string) and libs, from memory and from a working tree', () => {
    writeFiles(work.dir, files);
    const opts = {
      tlas: [
        { name: 'replicas', value: '3', code: true },
        { name: 'tag', value: 'v2' },
      ],
      extVars: [
        { name: 'env', value: '$ARGOCD_APP_NAMESPACE' },
        { name: 'region', value: '{ name: "eu" }', code: true },
      ],
      libs: ['lib'],
    };
    for (const tree of [new MemoryFileTree(files), new FsFileTree(work.dir)]) {
      const out = renderJsonnetFile(input(tree, 'apps/guestbook', opts), 'apps/guestbook/main.jsonnet');
      expect(out.problems).toEqual([]);
      expect(out.objects).toEqual([
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'guestbook' }, spec: { replicas: 3, template: { spec: { containers: [{ name: 'guestbook', image: 'gb:v2' }] } } } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'guestbook-env' }, data: { env: 'prod', region: '{"name": "eu"}' } },
      ]);
    }
  });

  it('a single object is one object; importstr reads files beside it', () => {
    const out = renderJsonnetFile(input(new MemoryFileTree(files), 'apps/single'), 'apps/single/cm.jsonnet');
    expect(out.objects).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'single' }, data: { text: 'hello from a file' } }]);
  });

  it('null items contribute nothing and lists are flattened into their items, as Argo CD does', () => {
    const out = renderJsonnetFile(input(new MemoryFileTree(files), 'apps/lists'), 'apps/lists/main.jsonnet');
    expect(out.problems).toEqual([]);
    expect(out.objects.map((o) => (o.metadata as { name: string }).name)).toEqual(['la', 'lb']);
  });

  it('a syntax error is a Problem naming the app, the file and the line', () => {
    const out = renderJsonnetFile(input(new MemoryFileTree(files), 'apps/broken'), 'apps/broken/main.jsonnet');
    expect(out.objects).toEqual([]);
    expect(out.problems).toEqual([expect.objectContaining({ severity: 'error', app: 'guestbook', file: 'apps/broken/main.jsonnet', line: 4 })]);
  });

  it('a runtime error, a missing library and a non-object result are Problems too', () => {
    const failing = renderJsonnetFile(input(new MemoryFileTree(files), 'apps/failing'), 'apps/failing/main.jsonnet');
    expect(failing.problems[0]).toMatchObject({ file: 'apps/failing/main.jsonnet', line: 2 });
    expect(failing.problems[0]!.message).toContain('the config is wrong');
    const noLib = renderJsonnetFile(input(new MemoryFileTree(files), 'apps/guestbook'), 'apps/guestbook/main.jsonnet');
    expect(noLib.problems[0]!.message).toMatch(/couldn't open import "k.libsonnet"/);
    const scalar = renderJsonnetFile(input(new MemoryFileTree(files), 'apps/scalar'), 'apps/scalar/main.jsonnet');
    expect(scalar.problems[0]!.message).toContain('cannot unmarshal number into an object');
    const outside = renderJsonnetFile(input(new MemoryFileTree(files), 'apps/guestbook', { libs: ['../elsewhere'] }), 'apps/guestbook/main.jsonnet');
    expect(outside.problems[0]!.message).toContain('leaves the repository');
  });

  it('bounds time and memory', () => {
    const heavy = new MemoryFileTree({ 'x.jsonnet': 'std.length(std.range(1, 100000000))\n' });
    const small = createJsonnetEvaluator(jsonnet!, { memoryBytes: 64 * 1024 * 1024 });
    expect(small.evaluate({ tree: heavy, file: 'x.jsonnet', libs: [], extVars: [], tlas: [] })).toEqual({ error: 'x.jsonnet: jsonnet ran out of memory (limit 64 MB)' });
    const slow = createJsonnetEvaluator(jsonnet!, { timeoutMs: 50 });
    const spin = new MemoryFileTree({ 'y.jsonnet': 'std.foldl(function(a, b) a + b, std.range(1, 50000000), 0)\n' });
    expect(slow.evaluate({ tree: spin, file: 'y.jsonnet', libs: [], extVars: [], tlas: [] })).toEqual({ error: 'y.jsonnet: jsonnet did not finish within 50 ms' });
  });
});
