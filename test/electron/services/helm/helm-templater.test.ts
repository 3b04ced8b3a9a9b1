import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findHelm } from '../../../../electron/services/helm/helm-binary';
import { createHelmTemplater } from '../../../../electron/services/helm/helm-templater';
import { MemoryFileTree } from '../../../../shared/repo/file-tree';
import type { HelmChartRequest } from '../../../../shared/sources/types';
import { tempDir } from '../../../helpers/git-fixtures';

// The Node-side `helm template` runner: temp folder per run, caches by content in memory and on disk, bounded.

const helm = findHelm();
const chart = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'replicas: 1\n',
  'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n',
};

function request(files: Record<string, string> = chart, over: Partial<HelmChartRequest> = {}): HelmChartRequest {
  return { tree: new MemoryFileTree(files), chartPath: 'charts/web', releaseName: 'web', namespace: 'prod', apiVersions: [], valueFiles: [], set: [], includeCrds: true, skipTests: false, skipSchemaValidation: false, ...over };
}

const dirs: { cleanup: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
function dataDir(): string {
  const d = tempDir('flotilla-helm-cache-');
  dirs.push(d);
  return d.dir;
}

describe.skipIf(!helm)('the helm templater', () => {
  it('runs helm once for an unchanged chart: the second render comes from memory, a new process from disk', () => {
    const dir = dataDir();
    const t = createHelmTemplater({ helm: helm!, dataDir: dir });
    const first = t.template(request());
    expect(first).toEqual({ manifests: expect.stringContaining('name: web') });
    expect(t.stats.templates).toBe(1);
    expect(t.template(request())).toEqual(first);
    expect(t.stats).toMatchObject({ templates: 1, cacheHits: 1 });
    const next = createHelmTemplater({ helm: helm!, dataDir: dir });
    expect(next.template(request())).toEqual(first);
    expect(next.stats).toMatchObject({ templates: 0, cacheHits: 1 });
    expect(readdirSync(path.join(dir, 'helm', 'rendered')).filter((f) => f.endsWith('.yaml'))).toHaveLength(1);
  });

  it('renders again when a chart file, a value, an option or the capabilities change', () => {
    const t = createHelmTemplater({ helm: helm!, dataDir: dataDir() });
    t.template(request());
    t.template(request({ ...chart, 'charts/web/values.yaml': 'replicas: 2\n' }));
    t.template(request(chart, { valueFiles: ['replicas: 3\n'] }));
    t.template(request(chart, { set: [{ name: 'replicas', value: '4', kind: 'set' }] }));
    t.template(request(chart, { namespace: 'dev' }));
    t.template(request(chart, { releaseName: 'other' }));
    t.template(request(chart, { kubeVersion: 'v1.30.0' }));
    t.template(request(chart, { apiVersions: ['example.com/v1'] }));
    t.template(request(chart, { skipTests: true }));
    expect(t.stats).toMatchObject({ templates: 9, cacheHits: 0 });
    t.template(request({ ...chart, 'charts/web/values.yaml': 'replicas: 2\n' }));
    expect(t.stats).toMatchObject({ templates: 9, cacheHits: 1 });
  });

  it('keeps the disk cache within its bounds, dropping the least recently used', () => {
    const dir = dataDir();
    const t = createHelmTemplater({ helm: helm!, dataDir: dir, cacheLimits: { diskEntries: 2 } });
    for (const r of ['1', '2', '3']) t.template(request(chart, { valueFiles: [`replicas: ${r}\n`] }));
    expect(t.renderCache.diskEntryCount()).toBe(2);
    expect(readdirSync(path.join(dir, 'helm', 'rendered')).filter((f) => f.endsWith('.yaml'))).toHaveLength(2);
    const fresh = createHelmTemplater({ helm: helm!, dataDir: dir, cacheLimits: { diskEntries: 2 } });
    fresh.template(request(chart, { valueFiles: ['replicas: 1\n'] }));
    expect(fresh.stats.templates).toBe(1);
    fresh.template(request(chart, { valueFiles: ['replicas: 3\n'] }));
    expect(fresh.stats).toMatchObject({ templates: 1, cacheHits: 1 });
  });

  it('stops helm at the output cap and at the timeout, with a message saying which', () => {
    const big = { ...chart, 'charts/web/templates/big.yaml': '{{- range until 2000 }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{{ . }}\n{{- end }}\n' };
    const capped = createHelmTemplater({ helm: helm!, maxOutputBytes: 10_000 });
    expect(capped.template(request(big))).toEqual({ error: 'helm printed more than the output limit' });
    const slow = createHelmTemplater({ helm: helm!, timeoutMs: 1 });
    expect(slow.template(request())).toEqual({ error: 'helm timed out' });
  });

  it('runs helm dependency build when a declared dependency is not vendored, and says nothing of temp folders', () => {
    const t = createHelmTemplater({ helm: helm!, dataDir: dataDir() });
    const files = {
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n- name: lib\n  version: 0.1.0\n  repository: file://../lib\n',
      'charts/web/templates/cm.yaml': chart['charts/web/templates/cm.yaml'],
      'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\n',
      'charts/lib/templates/lib.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lib\n',
    };
    const out = t.template(request(files));
    expect(out).toEqual({ manifests: expect.stringContaining('name: lib') });
    expect(t.stats).toMatchObject({ dependencyBuilds: 1, templates: 2 });
    const broken = t.template(request({ ...files, 'charts/lib/templates/bad.yaml': '{{ fail "lib is broken" }}\n' }));
    expect('error' in broken && broken.error).toMatch(/lib is broken/);
    expect('error' in broken && broken.error).not.toMatch(/flotilla-helm-/);
  });
});
