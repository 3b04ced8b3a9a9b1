import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHelm, helmEnv } from '../../../../electron/services/helm/helm-binary';
import { isLoopbackRegistry } from '../../../../electron/services/helm/chart-repository';
import { createSourceTools } from '../../../../electron/services/sources/source-tools';
import { renderApplication } from '../../../../shared/fleet/render-apps';
import type { Application } from '../../../../shared/model/application';
import { MemoryFileTree } from '../../../../shared/repo/file-tree';
import { tempDir, writeFiles } from '../../../helpers/git-fixtures';
import type { OciRegistry } from '../../../helpers/oci-registry';
import { findRegistry, startRegistry } from '../../../helpers/oci-registry';

// Charts from a real OCI registry on loopback (the Distribution registry, built from its Go module by
// scripts/registry-bin.sh): `helm push`ed by the test, pulled with `helm pull oci://…` and cached like Helm
// repository charts, then rendered offline from the cache once the registry is gone.

const helm = findHelm();
const registryBin = findRegistry();

describe.skipIf(!helm || !registryBin)('charts from an OCI registry', () => {
  const work = tempDir('flotilla-oci-');
  const dataDir = path.join(work.dir, 'data');
  let registry: OciRegistry | undefined;
  let host = '';

  const app = (repoURL: string, targetRevision: string): Application => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'web-prod' },
    spec: { project: 'default', source: { repoURL, chart: 'web', targetRevision, helm: { valuesObject: { greeting: 'from-app' } } }, destination: { server: 'https://kubernetes.default.svc', namespace: 'prod' } },
  });
  const render = (tools: ReturnType<typeof createSourceTools>, repoURL: string, version: string) =>
    renderApplication(app(repoURL, version), { treeAt: () => new MemoryFileTree() }, { clusters: [], loadRestrictor: 'rootOnly', tools });

  beforeAll(async () => {
    registry = await startRegistry(registryBin!, path.join(work.dir, 'registry'));
    host = registry.host;
    for (const v of ['0.1.0', '0.2.0']) {
      const src = path.join(work.dir, `src-${v}`, 'web');
      writeFiles(src, {
        'Chart.yaml': `apiVersion: v2\nname: web\nversion: ${v}\n`,
        'values.yaml': 'greeting: hello\n',
        'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  chartVersion: {{ .Chart.Version | quote }}\n',
      });
      execFileSync(helm!, ['package', src, '--destination', work.dir], { stdio: 'ignore' });
      execFileSync(helm!, ['push', path.join(work.dir, `web-${v}.tgz`), `oci://${host}/charts`, '--plain-http'], { stdio: 'pipe', env: helmEnv(path.join(work.dir, 'helm-home')) });
    }
  });
  afterAll(async () => {
    await registry?.stop();
    work.cleanup();
  });

  it('pulls an oci:// chart once, renders it with the app options, and serves it from the cache after', () => {
    const tools = createSourceTools({ dataDir, helm: helm!, jsonnet: null });
    const r = render(tools, `oci://${host}/charts`, '0.1.0');
    expect(r.problems).toEqual([]);
    expect(r.objects).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-prod', namespace: 'prod' }, data: { greeting: 'from-app', chartVersion: '0.1.0' } }]);
    expect(r.sources[0]!.description).toContain(`Helm chart web 0.1.0 from oci://${host}/charts`);
    expect(render(tools, `oci://${host}/charts`, '0.1.0').problems).toEqual([]);
    expect(tools.helmTemplater!.charts.pulls).toBe(1);
  });

  it('reads a registry host without a scheme as OCI, as Argo CD does, and resolves a version constraint', () => {
    const tools = createSourceTools({ dataDir, helm: helm!, jsonnet: null });
    const r = render(tools, `${host}/charts`, '0.*');
    expect(r.problems).toEqual([]);
    expect((r.objects[0] as { data: Record<string, string> }).data.chartVersion).toBe('0.2.0');
  });

  it('renders offline from the cache once the registry is gone, and says plainly what is not cached', async () => {
    await registry!.stop();
    registry = undefined;
    const offline = createSourceTools({ dataDir, helm: helm!, jsonnet: null });
    expect(render(offline, `oci://${host}/charts`, '0.1.0').problems).toEqual([]);
    const missing = render(offline, `oci://${host}/charts`, '9.9.9');
    expect(missing.objects).toEqual([]);
    expect(missing.problems[0]!.message).toContain(`could not pull chart web 9.9.9 from oci://${host}/charts, and it is not in the chart cache`);
  });

  it('speaks plain HTTP only to registries on this machine', () => {
    expect(isLoopbackRegistry(`oci://${host}/charts/web`)).toBe(true);
    expect(isLoopbackRegistry('oci://localhost:5000/web')).toBe(true);
    expect(isLoopbackRegistry('oci://[::1]:5000/web')).toBe(true);
    expect(isLoopbackRegistry('oci://ghcr.io/org/web')).toBe(false);
    expect(isLoopbackRegistry('oci://127.example.com/web')).toBe(false);
  });
});
