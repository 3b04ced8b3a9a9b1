import { describe, expect, it } from 'vitest';
import { parsePipelineFile } from '../../../shared/promotion/pipeline';
import { MemoryFileTree } from '../../../shared/repo/file-tree';
import { scanRepository } from '../../../shared/repo/scan';

// Where validation is configured: the fleet file's spec.validation.ignore and clusters' kubernetesVersion, and a
// pipeline stage's validation requirement. Bad values are Problems at their line; the rest is read.

const FLEET = `apiVersion: flotilla.dev/v1alpha1
kind: Fleet
metadata: {name: f}
spec:
  validation:
    ignore:
      - {check: latest-tag, app: web-dev, reason: pinned by the mirror}
      - {app: web-prod}
      - {check: run-as-non-root, kidn: Deployment}
  clusters:
    - {name: dev, kubernetesVersion: "1.31"}
    - {name: prod, kubernetesVersion: latest}
`;

const PIPELINE = (validation: string): string => `apiVersion: flotilla.dev/v1alpha1
kind: Pipeline
metadata: {name: p}
spec:
  stages:
    - name: dev
    - name: prod
      from: dev
      validation: ${validation}
`;

describe('validation settings', () => {
  it('reads the fleet file\'s ignore rules and cluster versions, reporting bad entries at their line', () => {
    const scan = scanRepository(new MemoryFileTree({ 'flotilla.yaml': FLEET }));
    expect(scan.fleet.validation?.ignore).toEqual([{ check: 'latest-tag', app: 'web-dev', reason: 'pinned by the mirror' }, { check: 'run-as-non-root' }]);
    expect(scan.fleet.clusters.map((c) => c.kubernetesVersion)).toEqual(['1.31', 'latest']);
    const lines = scan.problems.filter((p) => p.file === 'flotilla.yaml').map((p) => `${p.line}: ${p.message}`);
    expect(lines).toEqual([
      '12: fleet file: spec.clusters[1].kubernetesVersion: expected a Kubernetes version such as 1.32, got "latest"',
      '8: fleet file: spec.validation.ignore[1]: needs a `check` (the rule id, e.g. latest-tag)',
      '9: fleet file: spec.validation.ignore[2].kidn: unknown field "kidn" (known: check, app, kind, name, reason)',
    ]);
  });

  it("reads a stage's validation requirement with its defaults, and refuses bad values at their line", () => {
    const ok = parsePipelineFile(PIPELINE('{lint: warning, minScore: 2}'), 'pipeline.yaml');
    expect(ok.problems).toEqual([]);
    expect(ok.pipelines[0]!.stages[1]!.validation).toEqual({ schema: true, lint: 'warning', minScore: 2, admission: false });
    expect(ok.pipelines[0]!.stages[0]!.validation).toBeUndefined();
    const bad = parsePipelineFile(PIPELINE('{lint: strict, minScore: high, admision: true}'), 'pipeline.yaml');
    expect(bad.problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '9: pipeline: spec.stages.1.validation.admision: unknown field "admision" (known: schema, lint, minScore, admission)',
      '9: pipeline: spec.stages.1.validation.lint: expected error, warning or off, got "strict"',
      '9: pipeline: spec.stages.1.validation.minScore: expected a number, got "high"',
    ]);
  });
});
