// A HelmRelease's spec.chartRef (helm-controller v2): an OCIRepository's chart pulled from a real OCI registry on
// loopback through helm and its cache, a HelmChart's chart from a GitRepository path or a HelmRepository; and what
// cannot be had locally (a digest pin, an OCIRepository without ref, a Bucket, an undeclared source) is a Problem on
// that app alone, saying why.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHelm, helmEnv } from '../../../electron/services/helm/helm-binary';
import { commitAll, git, tempDir, writeFiles } from '../../helpers/git-fixtures';
import type { OciRegistry } from '../../helpers/oci-registry';
import { findRegistry, startRegistry } from '../../helpers/oci-registry';
import { cli } from '../../helpers/run-cli';

const helm = findHelm();
const registryBin = findRegistry();

const chart = (version: string): Record<string, string> => ({
  'Chart.yaml': `apiVersion: v2\nname: web\nversion: ${version}\n`,
  'values.yaml': 'greeting: hello\n',
  'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  chartVersion: {{ .Chart.Version | quote }}\n',
});

function release(name: string, chartRef: string): string {
  return ['apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', `  name: ${name}`, '  namespace: apps', 'spec:', '  interval: 10m', `  chartRef: ${chartRef}`, '  values: {greeting: from-release}', '---', ''].join('\n');
}

function source(kind: string, name: string, spec: string): string {
  return [`apiVersion: source.toolkit.fluxcd.io/${kind === 'OCIRepository' ? 'v1beta2' : 'v1'}`, `kind: ${kind}`, 'metadata:', `  name: ${name}`, '  namespace: apps', `spec: ${spec}`, '---', ''].join('\n');
}

describe('HelmRelease spec.chartRef', () => {
  const work = tempDir('flotilla-chartref-');
  let repo: { dir: string; cleanup: () => void };
  let registry: OciRegistry | undefined;
  let host = '127.0.0.1:1';

  beforeAll(async () => {
    process.env.FLOTILLA_DATA_DIR = path.join(work.dir, 'data');
    if (helm && registryBin) {
      registry = await startRegistry(registryBin, path.join(work.dir, 'registry'));
      host = registry.host;
      for (const v of ['0.1.0', '0.2.0']) {
        const src = path.join(work.dir, `src-${v}`, 'web');
        writeFiles(src, chart(v));
        execFileSync(helm, ['package', src, '--destination', work.dir], { stdio: 'ignore' });
        execFileSync(helm, ['push', path.join(work.dir, `web-${v}.tgz`), `oci://${host}/charts`, '--plain-http'], { stdio: 'pipe', env: helmEnv(path.join(work.dir, 'helm-home')) });
      }
    }
    repo = tempDir('flotilla-chartref-repo-');
    git(repo.dir, 'init', '-q', '-b', 'main');
    writeFiles(repo.dir, {
      'clusters/dev/releases.yaml': [
        release('oci-web', '{kind: OCIRepository, name: web}'),
        source('OCIRepository', 'web', `{interval: 5m, url: 'oci://${host}/charts/web', ref: {semver: '0.1.x'}}`),
        release('git-web', '{kind: HelmChart, name: web-from-git}'),
        source('HelmChart', 'web-from-git', '{interval: 5m, chart: ./charts/web, sourceRef: {kind: GitRepository, name: flux-system}}'),
        release('pinned', '{kind: OCIRepository, name: pinned}'),
        source('OCIRepository', 'pinned', `{interval: 5m, url: 'oci://${host}/charts/web', ref: {digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000'}}`),
        release('latest', '{kind: OCIRepository, name: latest}'),
        source('OCIRepository', 'latest', `{interval: 5m, url: 'oci://${host}/charts/web'}`),
        release('bucket', '{kind: HelmChart, name: from-bucket}'),
        source('HelmChart', 'from-bucket', '{interval: 5m, chart: web, sourceRef: {kind: Bucket, name: charts}}'),
        release('nowhere', '{kind: OCIRepository, name: undeclared}'),
      ].join(''),
      ...Object.fromEntries(Object.entries(chart('1.0.0')).map(([f, t]) => [`charts/web/${f}`, t])),
    });
    commitAll(repo.dir, 'HelmReleases with chartRef');
  });
  afterAll(async () => {
    await registry?.stop();
    repo?.cleanup();
    work.cleanup();
    delete process.env.FLOTILLA_DATA_DIR;
  });

  it('reports what cannot be had locally as a Problem on that app alone, saying why', async () => {
    const cases: [string, string][] = [
      ['pinned', 'spec.chartRef OCIRepository apps/pinned pins a digest (spec.ref.digest); Flotilla pulls OCI charts by version through helm, so this chart is not rendered locally'],
      ['latest', 'spec.chartRef OCIRepository apps/latest has no spec.ref.tag or spec.ref.semver: source-controller pulls the tag "latest"'],
      ['bucket', 'spec.chartRef HelmChart apps/from-bucket reads its chart from Bucket apps/charts: only HelmRepository and GitRepository sources are read; this chart is not local'],
      ['nowhere', 'spec.chartRef OCIRepository apps/undeclared is not declared in the repository for cluster dev; the chart cannot be found'],
    ];
    for (const [app, message] of cases) {
      const r = await cli(['render', '--app', app, '--repo', repo.dir]);
      expect(r.code, app).toBe(2);
      expect(r.err).toContain(`clusters/dev/releases.yaml:`);
      expect(r.err).toContain(message);
    }
    const apps = await cli(['apps', '-o', 'json', '--repo', repo.dir]);
    expect((JSON.parse(apps.out) as { name: string }[]).map((a) => a.name).sort()).toEqual(['bucket', 'git-web', 'latest', 'nowhere', 'oci-web', 'pinned']);
  });

  it.skipIf(!helm)("renders a HelmChart's chart from a GitRepository path", async () => {
    const r = await cli(['render', '--app', 'git-web', '--repo', repo.dir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('greeting: from-release');
    expect(r.out).toContain("chartVersion: 1.0.0");
    expect(r.out).toContain('helm.toolkit.fluxcd.io/name: git-web');
  });

  it.skipIf(!helm || !registryBin)("pulls an OCIRepository's chart at its semver through helm and its cache", async () => {
    const r = await cli(['render', '--app', 'oci-web', '--repo', repo.dir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('greeting: from-release');
    expect(r.out).toContain('chartVersion: 0.1.0');
    expect(r.err).toContain(`from OCIRepository web`);
  });
});
