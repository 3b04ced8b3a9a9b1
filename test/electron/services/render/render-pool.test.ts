import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticFleet } from '../../../../bench/synthetic-fleet';
import type { RenderRow } from '../../../../shared/fleet/render-row';
import { FleetService } from '../../../../electron/services/fleet-service';
import { renderBatches, renderWorkerCount } from '../../../../electron/services/render/render-pool';
import type { RenderedAppReport } from '../../../../electron/services/render/render-worker-protocol';
import { renderAppsToDir } from '../../../../electron/services/render-service';
import { commitAll, tempDir, writeFiles } from '../../../helpers/git-fixtures';
import { bundleRenderWorker } from '../../../helpers/render-worker-bundle';
import { cli } from '../../../helpers/run-cli';

/** Every file under `dir`, relative, with its content. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out.set(p, readFileSync(path.join(dir, p), 'utf8'));
    }
  };
  walk('');
  return out;
}

const problemsOf = (reports: readonly RenderedAppReport[]): string[] => reports.flatMap((r) => r.problems.map((p) => `${r.app} ${p.severity}: ${p.message}`)).sort();

describe('render --all in worker threads', () => {
  let repo: { dir: string; cleanup: () => void };
  let worker: Awaited<ReturnType<typeof bundleRenderWorker>>;
  const outs: { dir: string; cleanup: () => void }[] = [];
  const out = (): string => {
    const o = tempDir('flotilla-render-out-');
    outs.push(o);
    return o.dir;
  };
  const env = { ...process.env };

  beforeAll(async () => {
    worker = await bundleRenderWorker();
    repo = tempDir('flotilla-render-fleet-');
    // 50 apps x 3 environments: 150 Applications, three batches or more, so both workers render.
    writeSyntheticFleet(repo.dir, { apps: 50, clustersPerEnv: 1 });
    const overlay = path.join(repo.dir, 'apps/app-007/overlays/prod/kustomization.yaml');
    writeFiles(repo.dir, { 'apps/app-007/overlays/prod/kustomization.yaml': readFileSync(overlay, 'utf8').replace('resources:\n', 'resources:\n  - missing.yaml\n') });
    commitAll(repo.dir, 'app-007 prod names a file that does not exist');
  }, 120_000);
  afterEach(() => {
    process.env = { ...env };
  });
  afterAll(() => {
    repo.cleanup();
    worker.cleanup();
    for (const o of outs) o.cleanup();
  });

  it('writes exactly the files the single-threaded render writes, and reports the same problems', async () => {
    const fleet = await FleetService.open(repo.dir);
    const query = { clusterAccess: { offline: 'offline (test)' } };
    const single: RenderedAppReport[] = [];
    const one = out();
    const s1 = await renderAppsToDir(fleet, query, one, (r) => single.push(r), { workers: 0 });
    process.env['FLOTILLA_RENDER_WORKER'] = worker.script;
    const pooled: RenderedAppReport[] = [];
    const two = out();
    const s2 = await renderAppsToDir(fleet, query, two, (r) => pooled.push(r), { workers: 2 });
    expect(s1).toEqual({ rendered: 150, failed: 1, written: 149 });
    expect(s2).toEqual(s1);
    const a = tree(one);
    expect(a.size).toBe(149);
    expect(tree(two)).toEqual(a);
    expect(pooled.map((r) => r.app).sort()).toEqual(single.map((r) => r.app).sort());
    expect(problemsOf(pooled)).toEqual(problemsOf(single));
    expect(problemsOf(pooled).join('\n')).toContain('app-007-prod-01 error:');
  });

  it('names the app that failed in a worker and exits non-zero; the other apps are written', async () => {
    process.env['FLOTILLA_RENDER_WORKER'] = worker.script;
    process.env['FLOTILLA_RENDER_WORKERS'] = '2';
    const dir = out();
    const r = await cli(['render', '--all', '--offline', '--repo', repo.dir, '-o', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: .*'missing\.yaml' does not exist.*\(app app-007-prod-01\)$/m);
    expect(r.err).toContain('wrote 149 of 150 Applications');
    expect(tree(dir).size).toBe(149);
  });

  it('reports every app of a worker that stops as failed, naming the worker and why, and drops none', async () => {
    process.env['FLOTILLA_RENDER_WORKER'] = worker.crashing;
    const fleet = await FleetService.open(repo.dir);
    const reports: RenderedAppReport[] = [];
    const s = await renderAppsToDir(fleet, { clusterAccess: { offline: 'offline (test)' } }, out(), (r) => reports.push(r), { workers: 2 });
    expect(s).toEqual({ rendered: 150, failed: 150, written: 0 });
    expect(new Set(reports.map((r) => r.app)).size).toBe(150);
    for (const r of reports) expect(r.problems.map((p) => p.message).join('\n')).toMatch(/render worker [12] stopped \(exit code 3\)|no render worker was left/);
    expect(reports.find((r) => r.app === 'app-001-dev-01')?.cluster).toBe('dev-01');
  });

  it('exits non-zero when a worker stops under the CLI', async () => {
    process.env['FLOTILLA_RENDER_WORKER'] = worker.crashing;
    process.env['FLOTILLA_RENDER_WORKERS'] = '2';
    const r = await cli(['render', '--all', '--offline', '--repo', repo.dir, '-o', out()]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('wrote 0 of 150 Applications');
  });

  it('names an app whose file cannot be written and exits non-zero; the others are written', async () => {
    const dir = out();
    // A folder where app-012-staging-01's file goes: its write fails (EISDIR), every other app's does not.
    mkdirSync(path.join(dir, 'staging-01', 'app-012-staging-01.yaml'), { recursive: true });
    const r = await cli(['render', '--all', '--offline', '--repo', repo.dir, '-o', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: .*EISDIR.*app-012-staging-01\.yaml.*\(app app-012-staging-01\)$/m);
    expect(r.err).toContain('wrote 148 of 150 Applications');
    expect(tree(dir).size).toBe(148);
  });

  it('sends sibling overlays in one batch', () => {
    const row = (app: string, env: string): RenderRow => ({ name: `${app}-${env}`, application: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: `${app}-${env}` }, spec: { project: 'default', source: { repoURL: 'r', path: `apps/${app}/overlays/${env}` }, destination: {} } } });
    const rows = ['a', 'b', 'c'].flatMap((app) => ['dev', 'prod', 'staging'].map((env) => row(app, env)));
    expect(renderBatches(rows, 2).map((b) => b.map((r) => r.name))).toEqual([
      ['a-dev', 'a-prod', 'a-staging'],
      ['b-dev', 'b-prod', 'b-staging'],
      ['c-dev', 'c-prod', 'c-staging'],
    ]);
    // A batch never grows past twice the size, even in one folder.
    expect(renderBatches(['x', 'y', 'z', 'w', 'v'].map((e) => row('a', e)), 2).map((b) => b.length)).toEqual([4, 1]);
  });

  it('renders in the calling thread unless FLOTILLA_RENDER_WORKERS asks for workers', () => {
    expect(renderWorkerCount({})).toBe(0);
    expect(renderWorkerCount({ FLOTILLA_RENDER_WORKERS: '2' })).toBe(2);
    expect(renderWorkerCount({ FLOTILLA_RENDER_WORKERS: '0' })).toBe(0);
    expect(renderWorkerCount({ FLOTILLA_RENDER_WORKERS: 'many' })).toBe(0);
  });
});
