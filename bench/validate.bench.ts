import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundledSchemasFor } from '../electron/services/validate/bundled-schemas';
import type { ValidationInput } from '../shared/validate/finding';
import { crdSchemas } from '../shared/validate/schema/crd';
import { schemaValidator } from '../shared/validate/schema/schema-check';
import { SchemaSet } from '../shared/validate/schema/schema-set';
import { kubeconformBin, SCHEMA_TEMPLATE, writeKubeconformSchemas } from '../test/helpers/kubeconform';
import { timeCommand } from './child-process';
import type { BenchResult } from './types';
import { sample, stats } from './types';

// Schema validation of 10,000 rendered objects: Flotilla in process (the schema set built and compiled inside each
// sample, so compile cost counts) vs kubeconform as a process with its own caches, both with the same schemas
// (Kubernetes 1.32 bundled + one CRD, kubeconform's as standalone JSON Schema files). Goal: Flotilla < 1 s and faster
// than kubeconform.

const COUNT = 10_000;
const RUNS = 5;
const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'string', enum: ['small', 'large'] }, replicas: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } } } } } } }] },
};

/** A rendered object of a typical app, varied by `i`. */
function synthesize(i: number): Record<string, unknown> {
  const name = `app-${i}`;
  const labels = { app: name, 'app.kubernetes.io/part-of': `team-${i % 40}` };
  const meta = { name, namespace: `team-${i % 40}`, labels, annotations: { 'argocd.argoproj.io/tracking-id': `${name}:apps/Deployment:team/${name}` } };
  const container = { name: 'main', image: `registry.example.com/${name}:1.${i % 9}.0`, ports: [{ name: 'http', containerPort: 8080 }], env: [{ name: 'MODE', value: 'prod' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }], resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } }, readinessProbe: { httpGet: { path: '/healthz', port: 'http' } }, securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] };
  const podSpec = { containers: [container], volumes: [{ name: 'tmp', emptyDir: {} }] };
  switch (i % 5) {
    case 0: return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } } };
    case 1: return { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
    case 2: return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { 'app.properties': `name=${name}\n`, mode: 'prod' } };
    case 3: return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta, spec: { serviceName: name, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } } };
    default: return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta, spec: { size: i % 2 ? 'small' : 'large', replicas: i % 7, tags: ['a', 'b'] } };
  }
}

/** Runs the benchmark. */
export async function run(): Promise<BenchResult[]> {
  const objects = Array.from({ length: COUNT }, (_, i) => synthesize(i));
  const inputs: ValidationInput[] = objects.map((object) => ({ object }));
  const bundle = bundledSchemasFor('1.32').bundle;
  const crd = crdSchemas(CRD);
  let findings = -1;
  const ours = await sample(RUNS, () => {
    const set = new SchemaSet(bundle, crd.schemas);
    findings = schemaValidator(set).run(inputs, {}).findings.length;
  });
  if (findings !== 0) throw new Error(`expected no findings on valid objects, got ${findings}`);

  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-bench-validate-'));
  try {
    const schemas = path.join(dir, 'schemas');
    writeKubeconformSchemas(new SchemaSet(bundle, crd.schemas), objects.map((o) => [String(o.apiVersion), String(o.kind)] as const), schemas);
    const data = path.join(dir, 'objects');
    mkdirSync(data);
    // 100 files of 100 documents, as `flotilla render --all -o DIR` writes an app per file.
    for (let f = 0; f < COUNT / 100; f++) writeFileSync(path.join(data, `app-${f}.yaml`), objects.slice(f * 100, f * 100 + 100).map((o) => JSON.stringify(o)).join('\n---\n'));
    const bin = kubeconformBin();
    const theirs: number[] & { cpu?: number[] } = [];
    theirs.cpu = [];
    let summary = '';
    for (let r = 0; r <= RUNS; r++) {
      const c = timeCommand(bin, ['-strict', '-ignore-missing-schemas', '-summary', '-output', 'json', '-schema-location', path.join(schemas, SCHEMA_TEMPLATE), data]);
      summary = c.stdout;
      if (r === 0) continue; // warm-up (page cache)
      theirs.push(c.wall_ms);
      theirs.cpu.push(c.cpu_ms);
    }
    const valid = (JSON.parse(summary) as { summary: { valid: number } }).summary.valid;
    if (valid !== COUNT) throw new Error(`kubeconform found ${valid} of ${COUNT} valid: ${summary}`);
    const oursStats = stats(ours);
    const theirStats = stats(theirs);
    return [
      { name: `Flotilla schema validation, ${COUNT} objects in process (schema set built and compiled each run)`, ...oursStats, extra: { objects_per_s: Math.round(COUNT / (oursStats.median_ms / 1000)) } },
      { name: `kubeconform ${COUNT} objects as a process (-strict, same schemas, 4 workers)`, ...theirStats, extra: { ratio_wall: (theirStats.median_ms / oursStats.median_ms).toFixed(1), ratio_cpu: ((theirs.cpu.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? 0) / (ours.cpu!.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? 1)).toFixed(1) } },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
