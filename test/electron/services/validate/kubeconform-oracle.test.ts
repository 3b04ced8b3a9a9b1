import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledSchemasFor } from '../../../../electron/services/validate/bundled-schemas';
import type { Problem } from '../../../../shared/problem';
import type { ValidationInput } from '../../../../shared/validate/finding';
import type { CrdSchema } from '../../../../shared/validate/schema/crd';
import { crdSchemas, isCrd } from '../../../../shared/validate/schema/crd';
import { schemaValidator } from '../../../../shared/validate/schema/schema-check';
import { SchemaSet } from '../../../../shared/validate/schema/schema-set';
import { isRecord, parseYamlDocuments } from '../../../../shared/yaml/documents';
import { exampleRepo, tempDir } from '../../../helpers/git-fixtures';
import type { KubeconformStatus } from '../../../helpers/kubeconform';
import { kubeconformBin, runKubeconform, writeKubeconformSchemas } from '../../../helpers/kubeconform';
import { conformanceDir, repoRoot } from '../../../helpers/paths';
import { cli } from '../../../helpers/run-cli';

// Flotilla's schema check and kubeconform, given the same schemas (Kubernetes 1.32 bundled + the corpus's CRDs), must
// reach the same verdict on every object: the written corpus, the rendered example fleet, the kustomize conformance
// outputs and the health conformance objects. Verdicts: valid, invalid (any error finding), no-schema (kubeconform
// skips it under -ignore-missing-schemas) and missing-kind (kubeconform: "error while parsing").

type Verdict = 'valid' | 'invalid' | 'no-schema' | 'missing-kind';
const FROM_KUBECONFORM: Record<KubeconformStatus, Verdict | 'empty'> = { statusValid: 'valid', statusInvalid: 'invalid', statusSkipped: 'no-schema', statusError: 'missing-kind', statusEmpty: 'empty' };

interface CorpusObject extends ValidationInput {
  readonly tag: string;
  readonly expect?: Verdict;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

function objectsOf(file: string, tag: string): CorpusObject[] {
  const rel = path.relative(repoRoot, file);
  return parseYamlDocuments(readFileSync(file, 'utf8'), rel).docs.flatMap((d) => {
    if (!isRecord(d.value)) return [];
    const meta = isRecord(d.value.metadata) ? d.value.metadata : {};
    const ann = isRecord(meta.annotations) ? meta.annotations : {};
    const expect = ann['corpus.flotilla.dev/expect'] as Verdict | undefined;
    return [{ object: d.value, source: { file: rel, line: d.line }, tag, ...(expect ? { expect } : {}) }];
  });
}

describe('schema validation agrees with kubeconform on every verdict, given the same schemas', () => {
  const work = tempDir('flotilla-oracle-');
  let corpus: CorpusObject[] = [];
  let set: SchemaSet;
  let ours: Verdict[] = [];
  let theirs: (Verdict | 'empty')[] = [];
  let crdProblems: readonly Problem[] = [];

  beforeAll(async () => {
    const written = path.join(repoRoot, 'test', 'fixtures', 'validate', 'corpus');
    corpus.push(...yamlFiles(written).flatMap((f) => objectsOf(f, 'written')));
    // The example fleet as `flotilla render --all` writes it.
    const repo = exampleRepo();
    try {
      const rendered = path.join(work.dir, 'rendered');
      const r = await cli(['render', '--all', '--repo', repo.dir, '-o', rendered]);
      // Only the Helm example needs a binary this machine may lack (CI builds helm); every other app must render.
      if (r.code !== 0) expect(r.err.trim().split('\n').filter((l) => !l.startsWith('wrote ') && !l.includes('helm is not installed'))).toEqual([]);
      corpus.push(...yamlFiles(rendered).flatMap((f) => objectsOf(f, 'example-fleet')));
    } finally {
      repo.cleanup();
    }
    const kustomize = conformanceDir('kustomize');
    if (kustomize) corpus.push(...yamlFiles(path.join(kustomize, 'cases')).filter((f) => f.endsWith('expected.yaml')).flatMap((f) => objectsOf(f, 'kustomize-conformance')));
    const health = conformanceDir('health');
    if (health) corpus.push(...yamlFiles(health).flatMap((f) => objectsOf(f, 'health-conformance')));
    corpus = corpus.filter((o) => typeof o.object.kind === 'string' || typeof o.object.apiVersion === 'string' || o.tag === 'written');

    const crds: CrdSchema[] = [];
    const problems: Problem[] = [];
    for (const o of corpus.filter((c) => c.tag === 'written' && isCrd(c.object))) {
      const r = crdSchemas(o.object, o.source);
      crds.push(...r.schemas);
      problems.push(...r.problems);
    }
    crdProblems = problems;
    set = new SchemaSet(bundledSchemasFor('1.32').bundle, crds, problems);

    const check = schemaValidator(set);
    ours = corpus.map((o) => {
      const f = check.run([o], {}).findings;
      if (f.some((x) => x.id === 'missing-kind')) return 'missing-kind';
      if (f.some((x) => x.severity === 'error')) return 'invalid';
      return f.some((x) => x.id === 'no-schema') ? 'no-schema' : 'valid';
    });

    const objects = path.join(work.dir, 'objects');
    const schemas = path.join(work.dir, 'schemas');
    const kinds = corpus.map((o) => [String(o.object.apiVersion ?? ''), String(o.object.kind ?? '')] as const).filter(([a, k]) => a !== '' && k !== '');
    writeKubeconformSchemas(set, kinds, schemas);
    // One file per object, as JSON, so kubeconform reads exactly the values Flotilla parsed (YAML 1.1 scalars).
    const { mkdirSync } = await import('node:fs');
    mkdirSync(objects);
    corpus.forEach((o, i) => writeFileSync(path.join(objects, `${String(i).padStart(5, '0')}.json`), JSON.stringify(o.object)));
    const results = runKubeconform(kubeconformBin(), schemas, [objects]);
    theirs = corpus.map((_, i) => FROM_KUBECONFORM[results.get(path.join(objects, `${String(i).padStart(5, '0')}.json`))?.status ?? 'statusEmpty']);
  }, 300_000);
  afterAll(() => work.cleanup());

  it('the CRDs of the corpus compile', () => {
    expect(crdProblems).toEqual([]);
    expect(set.customResources().map((c) => c.key).sort()).toEqual(['example.com/v1/Widget', 'example.com/v1beta1/Widget', 'ops.example.com/v1alpha1/Backup']);
  });

  it('the written corpus gets the verdict each object expects', () => {
    const wrong = corpus.flatMap((o, i) => (o.tag === 'written' && o.expect !== undefined && ours[i] !== o.expect ? [`${o.source!.file}:${o.source!.line} ${String((o.object.metadata as { name?: string }).name)}: expected ${o.expect}, got ${ours[i]}`] : []));
    expect(wrong).toEqual([]);
    const counts = (v: Verdict) => corpus.filter((o, i) => o.tag === 'written' && ours[i] === v).length;
    expect(counts('valid')).toBeGreaterThanOrEqual(20);
    expect(counts('invalid')).toBeGreaterThanOrEqual(30);
    expect(counts('no-schema')).toBe(3);
  });

  it('every verdict agrees with kubeconform (100%), per corpus', () => {
    const disagreements = corpus.flatMap((o, i) => (ours[i] !== theirs[i] ? [`[${o.tag}] ${o.source!.file}:${o.source!.line} ${String(o.object.kind)} ${String((o.object.metadata as { name?: string } | undefined)?.name)}: flotilla ${ours[i]}, kubeconform ${theirs[i]}`] : []));
    expect(disagreements).toEqual([]);
    const tags = new Map<string, Record<string, number>>();
    corpus.forEach((o, i) => {
      const t = tags.get(o.tag) ?? {};
      t[ours[i]!] = (t[ours[i]!] ?? 0) + 1;
      tags.set(o.tag, t);
    });
    console.log(`kubeconform oracle: ${corpus.length} objects, all verdicts agree: ${[...tags].map(([t, c]) => `${t} ${JSON.stringify(c)}`).join('; ')}`);
    expect(tags.get('example-fleet')?.valid ?? 0).toBeGreaterThanOrEqual(20);
  });
});
