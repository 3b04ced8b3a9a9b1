// The bundled example's Flux app (Kustomization status-page on dev) on the real test fleet: applied as
// kustomize-controller applies what it builds, then drifted by hand; `flotilla diff` and `drift-report` show it, found
// through Flux's owner labels. The example's targetNamespace is moved to a fresh namespace so other tests' runs of
// the example on the shared clusters are unaffected.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/model/status';
import { commitAll, exampleRepo } from '../../helpers/git-fixtures';
import type { LocalFleetState } from '../../helpers/kube-fleet';
import { freshNamespace, kubeRequest, retargetExample, useKubeFleet } from '../../helpers/kube-fleet';
import { cli } from '../../helpers/run-cli';

let fleet: LocalFleetState;
let repo: { dir: string; cleanup: () => void };
let data: string;
let ns: string;

const kc = (): string[] => ['--kubeconfig', fleet.kubeconfig];

/** Server-side apply to dev as a field manager (a controller, a person) would. */
async function apply(obj: KubeObject, manager: string): Promise<void> {
  const m = obj.metadata as { name: string; namespace?: string };
  const [group, version] = obj.apiVersion!.includes('/') ? obj.apiVersion!.split('/') : ['', obj.apiVersion!];
  const plural = `${obj.kind!.toLowerCase()}s`;
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const at = m.namespace ? `${base}/namespaces/${m.namespace}/${plural}/${m.name}` : `${base}/${plural}/${m.name}`;
  const res = await kubeRequest(fleet, 'dev', 'PATCH', `${at}?fieldManager=${manager}&force=true`, obj, { contentType: 'application/apply-patch+yaml' });
  if (res.status !== 200 && res.status !== 201) throw new Error(`apply ${obj.kind} ${m.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
}

beforeAll(async () => {
  fleet = await useKubeFleet();
  repo = exampleRepo();
  data = mkdtempSync(path.join(os.tmpdir(), 'flotilla-flux-example-'));
  retargetExample(fleet, repo.dir);
  ns = freshNamespace('status');
  const file = path.join(repo.dir, 'flux/dev/status-page.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('targetNamespace: status', `targetNamespace: ${ns}`));
  commitAll(repo.dir, 'The example fleet on the test clusters, its Flux app in a fresh namespace');
});

afterAll(() => {
  repo?.cleanup();
  if (data) rmSync(data, { recursive: true, force: true });
});

describe("the example's Flux app on a real cluster", () => {
  it('is in sync once applied as Flux applies it, and a hand edit shows in diff and in the drift report', async () => {
    const rendered = await cli(['render', '--app', 'status-page', '--repo', repo.dir]);
    expect(rendered.code, rendered.err).toBe(0);
    const objects = parseAllDocuments(rendered.out).map((d) => d.toJS() as KubeObject);
    expect(objects.map((o) => `${o.kind} ${String(o.metadata?.['namespace'] ?? '')}/${String(o.metadata?.['name'])}`)).toContain(`Namespace /${ns}`);
    // The Namespace first, as kustomize-controller applies cluster-scoped objects and namespaces before the rest.
    for (const o of [...objects].sort((a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'))) await apply(o, 'kustomize-controller');

    const clean = await cli(['diff', 'status-page', '--repo', repo.dir, ...kc()]);
    expect(clean.out).toBe('');
    expect(clean.code, clean.err).toBe(0);

    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const name = String(deployment.metadata!['name']);
    await apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { replicas: 4 } }, 'kubectl-scale');
    const drifted = await cli(['diff', 'status-page', '--repo', repo.dir, ...kc()]);
    expect(drifted.code, drifted.err).toBe(1);
    expect(drifted.out).toContain(`===== apps/Deployment ${ns}/${name} ======`);
    expect(drifted.out).toContain('-  replicas: 4\n+  replicas: 1\n');

    const refreshed = await cli(['refresh', '--cluster', 'dev', '--repo', repo.dir, '--data-dir', data, ...kc()]);
    expect(refreshed.code, refreshed.err).toBe(0);
    const report = await cli(['drift-report', '--offline', '--repo', repo.dir, '--data-dir', data, '-f', 'json']);
    const entry = (JSON.parse(report.out) as { entries: { app: string; cluster: string; sync: string; driftedResources: { kind: string; name: string }[] }[] }).entries.find((e) => e.app === 'status-page');
    expect(entry).toMatchObject({ cluster: 'dev', sync: 'OutOfSync', driftedResources: [{ kind: 'Deployment', name }] });
  });
});
