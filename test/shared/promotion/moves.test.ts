import { describe, expect, it } from 'vitest';
import { parsePipelineFile } from '../../../shared/promotion/pipeline';
import { diffObjects, planBlockers, planPromotion } from '../../../shared/promotion/plan';
import { pipelineVersions } from '../../../shared/promotion/versions';
import { MemoryFileTree } from '../../../shared/repo/file-tree';

// A pipeline that moves a YAML path and a git revision pin besides images, with prod fanned out to two stages.

const PIPELINE = `apiVersion: flotilla.dev/v1alpha1
kind: Pipeline
metadata:
  name: web
spec:
  overlayPath: deploy/{{app}}/{{stage}}
  promote:
    images: false
    paths:
      - file: settings.yaml
        path: spec.features[name=search].enabled
    revision: true
  stages:
    - name: staging
    - name: prod-eu
      from: staging
      clusters: [eu-1, eu-2]
    - name: prod-us
      from: staging
      clusters: [us-1]
`;

const overlay = (ref: string, search: boolean, comment = ''): Record<string, string> => ({
  'kustomization.yaml': `resources:\n  - https://github.com/acme/web//deploy/base?ref=${ref}${comment}\n  - settings.yaml\n`,
  'settings.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-settings\nspec:\n  features:\n    - name: search\n      enabled: ${search}   # feature flag\n    - name: checkout\n      enabled: true\n`,
});

function tree(): MemoryFileTree {
  const files: Record<string, string> = { 'pipeline.yaml': PIPELINE };
  const stages: Record<string, Record<string, string>> = { staging: overlay('v1.4.0', true), 'prod-eu': overlay('v1.3.0', false, ' # pinned'), 'prod-us': overlay('v1.4.0', true) };
  for (const [stage, fs] of Object.entries(stages)) for (const [f, t] of Object.entries(fs)) files[`deploy/web/${stage}/${f}`] = t;
  return new MemoryFileTree(files, 'b'.repeat(40));
}

const pipeline = (): ReturnType<typeof parsePipelineFile>['pipelines'][number] => parsePipelineFile(PIPELINE, 'pipeline.yaml').pipelines[0]!;

describe('moving YAML paths and revision pins', () => {
  it('edits the path value and the ?ref= in place and keeps the comments', () => {
    const t = tree();
    const plan = planPromotion({ pipeline: pipeline(), tree: t, clusters: [], render: false, gates: { now: 0, confirmation: 'flag' }, request: { from: 'staging', to: 'prod-eu', apps: ['web'] } });
    expect(planBlockers(plan)).toEqual([]);
    const web = plan.apps[0]!;
    expect(web.moves.map((m) => [m.kind, m.name, m.from, m.to])).toEqual([
      ['revision', 'https://github.com/acme/web//deploy/base', 'v1.3.0', 'v1.4.0'],
      ['path', 'spec.features[name=search].enabled', 'false', 'true'],
    ]);
    const after = new Map(web.edits.map((e) => [e.file, e.after]));
    expect(after.get('deploy/web/prod-eu/kustomization.yaml')).toBe(t.read('deploy/web/prod-eu/kustomization.yaml')!.replace('ref=v1.3.0 # pinned', 'ref=v1.4.0 # pinned'));
    expect(after.get('deploy/web/prod-eu/settings.yaml')).toBe(t.read('deploy/web/prod-eu/settings.yaml')!.replace('enabled: false   # feature flag', 'enabled: true   # feature flag'));
  });

  it('targets only the clusters of the fanned-out stage, and has nothing to do for the one already in step', () => {
    const t = tree();
    const gates = { now: 0, confirmation: 'flag' as const };
    const eu = planPromotion({ pipeline: pipeline(), tree: t, clusters: [], gates, request: { from: 'staging', to: 'prod-eu', apps: 'all' } });
    expect(eu.apps[0]!.clusters.map((c) => c.cluster)).toEqual(['eu-1', 'eu-2']);
    expect(eu.ready).toBe(true);
    // The remote base is not rendered locally: the change cannot be shown, which warns and does not block.
    expect(eu.apps[0]!.clusters[0]!.changes).toEqual([]);
    expect(eu.apps[0]!.clusters[0]!.problems.map((p) => `${p.severity}: ${p.message}`)).toEqual([
      "warning: the rendered diff cannot be shown: resource 'https://github.com/acme/web//deploy/base?ref=v1.4.0' is a remote URL; remote resources are not supported",
      'warning: no Application deploys deploy/web/prod-eu to eu-1; showing the overlay as kustomize renders it',
    ]);
    const us = planPromotion({ pipeline: pipeline(), tree: t, clusters: [], gates, request: { from: 'staging', to: 'prod-us', apps: 'all' } });
    expect(us.noop).toBe(true);
  });

  it('shows each stage\'s versions and flags the skew against the stage it is promoted from', () => {
    expect(pipelineVersions(pipeline(), tree())).toEqual([{
      app: 'web',
      stages: [
        { stage: 'staging', versions: ['https://github.com/acme/web//deploy/base?ref=v1.4.0', 'spec.features[name=search].enabled=true'], skew: false },
        { stage: 'prod-eu', versions: ['https://github.com/acme/web//deploy/base?ref=v1.3.0', 'spec.features[name=search].enabled=false'], skew: true },
        { stage: 'prod-us', versions: ['https://github.com/acme/web//deploy/base?ref=v1.4.0', 'spec.features[name=search].enabled=true'], skew: false },
      ],
    }]);
  });
});

describe('diffObjects', () => {
  it('masks Secret values in the rendered diff while still showing that they changed', () => {
    const secret = (token: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'web' }, stringData: { token } });
    const changes = diffObjects([secret('old-s3cret')], [secret('new-s3cret')], 'eu-1');
    expect(changes.map((c) => [c.id, c.change])).toEqual([['/Secret/web/creds', 'changed']]);
    expect(changes[0]!.diff).toContain('-  token: ++++++++++++');
    expect(changes[0]!.diff).toContain('+  token: ++++++++');
    expect(changes[0]!.diff).not.toMatch(/s3cret|czNjcmV0/);
  });
});
