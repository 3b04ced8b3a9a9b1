import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../shared/model/status';
import { commitAll, git, tempDir, writeFiles } from './git-fixtures';
import type { LocalFleetState } from './kube-fleet';
import { kubeRequest } from './kube-fleet';
import { repoRoot } from './paths';

// fluxcd/flux2-kustomize-helm-example (vendored in test/fixtures) as a user opens it, optionally on the real test
// fleet: a fleet file names its two clusters as the example does (staging, production) and maps them to API servers of
// the run's fleet, and the podinfo namespace is renamed so the shared clusters hold nothing another test reads.

/** The fixture's upstream URL (its `origin`, so the bootstrap GitRepository is the open repository). */
export const FLUX_EXAMPLE_URL = 'https://github.com/fluxcd/flux2-kustomize-helm-example';

/** Where each of the example's clusters runs on the test fleet: staging's API server is left to the cluster page test. */
export const FLUX_EXAMPLE_CLUSTERS = { staging: 'dev', production: 'prod' } as const;

/** How the example repository is laid out for a test. */
export interface FluxExampleOptions {
  /** The test fleet its clusters map to (a fleet file is written); none leaves the repository as upstream has it. */
  readonly fleet?: LocalFleetState;
  /** The namespace podinfo is deployed to, instead of `podinfo`. */
  readonly podinfoNamespace?: string;
  /** The namespace of the clusters' Flux Kustomizations, instead of `flux-system` (apps are then named `<it>/apps@staging`). */
  readonly fluxNamespace?: string;
}

/** A git copy of the example (origin = upstream URL), with a fleet file and podinfo's namespace as asked. */
export function fluxExampleRepo(opts: FluxExampleOptions = {}): { dir: string; cleanup: () => void; head: string } {
  const repo = tempDir('flotilla-flux2-example-');
  git(repo.dir, 'init', '-q', '-b', 'main');
  cpSync(path.join(repoRoot, 'test/fixtures/flux2-kustomize-helm-example'), repo.dir, { recursive: true });
  git(repo.dir, 'remote', 'add', 'origin', FLUX_EXAMPLE_URL);
  const ns = opts.podinfoNamespace;
  if (ns) {
    for (const dir of ['apps/base/podinfo', 'apps/staging', 'apps/production']) {
      for (const f of readdirSync(path.join(repo.dir, dir))) {
        const file = path.join(repo.dir, dir, f);
        const text = readFileSync(file, 'utf8').replace(/namespace: podinfo$/gm, `namespace: ${ns}`);
        writeFileSync(file, f === 'namespace.yaml' ? text.replace(/^ {2}name: podinfo$/m, `  name: ${ns}`) : text);
      }
    }
  }
  if (opts.fluxNamespace) {
    for (const cluster of Object.keys(FLUX_EXAMPLE_CLUSTERS)) {
      for (const f of ['apps.yaml', 'infrastructure.yaml']) {
        const file = path.join(repo.dir, 'clusters', cluster, f);
        writeFileSync(file, readFileSync(file, 'utf8').replace(/namespace: flux-system$/gm, `namespace: ${opts.fluxNamespace}`));
      }
    }
  }
  if (opts.fleet) writeFiles(repo.dir, { 'flotilla.yaml': fluxExampleFleetFile(opts.fleet) });
  const head = commitAll(repo.dir, 'flux2-kustomize-helm-example');
  return { ...repo, head };
}

/** The fleet file naming the example's clusters (staging, production) on the test fleet's API servers. */
export function fluxExampleFleetFile(fleet: LocalFleetState): string {
  const lines = ['apiVersion: flotilla.dev/v1alpha1', 'kind: Fleet', 'metadata:', '  name: flux2-example', 'spec:', `  repoURL: ${FLUX_EXAMPLE_URL}`, '  clusters:'];
  for (const [name, on] of Object.entries(FLUX_EXAMPLE_CLUSTERS)) {
    const c = fleet.clusters.find((x) => x.name === on)!;
    lines.push(`  - name: ${name}`, `    context: ${c.context}`, `    server: ${c.server}`, `    environment: ${name}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * What kustomize-controller does on one cluster for the example's Kustomization `apps`: the objects Flotilla renders for
 * it applied (namespaces first), and the Kustomization itself there with the status the controller writes (Ready at the
 * revision, the inventory of what it applied).
 */
export async function reconcileApps(fleet: LocalFleetState, on: string, rendered: readonly KubeObject[], kustomization: KubeObject, revision: string): Promise<void> {
  const m = kustomization.metadata as { name: string; namespace: string };
  await ensureNamespace(fleet, on, m.namespace);
  for (const o of [...rendered].sort((a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'))) await applyAs(fleet, on, o, 'kustomize-controller');
  await applyAs(fleet, on, kustomization, 'flux-bootstrap');
  const group = (o: KubeObject): string => (o.apiVersion!.includes('/') ? o.apiVersion!.split('/')[0]! : '');
  const entries = rendered.map((o) => {
    const om = o.metadata as { name: string; namespace?: string };
    return { id: `${om.namespace ?? ''}_${om.name}_${group(o)}_${o.kind}`, v: o.apiVersion!.split('/').pop() };
  });
  const status = {
    conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${revision}`, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), observedGeneration: 1 }],
    lastAppliedRevision: revision, lastAttemptedRevision: revision, inventory: { entries },
  };
  const res = await kubeRequest(fleet, on, 'PATCH', `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${m.namespace}/kustomizations/${m.name}/status`, { status }, { contentType: 'application/merge-patch+json' });
  if (res.status !== 200) throw new Error(`status of Kustomization ${m.namespace}/${m.name} on ${on}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
}

/** Creates a namespace unless it exists. */
export async function ensureNamespace(fleet: LocalFleetState, on: string, name: string): Promise<void> {
  const res = await kubeRequest(fleet, on, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (res.status !== 201 && res.status !== 409) throw new Error(`namespace ${name} on ${on}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
}

/** Server-side apply of one object to a test-fleet cluster as a field manager (a controller, a person) would. */
export async function applyAs(fleet: LocalFleetState, cluster: string, obj: KubeObject, manager: string): Promise<void> {
  const m = obj.metadata as { name: string; namespace?: string };
  const [group, version] = obj.apiVersion!.includes('/') ? obj.apiVersion!.split('/') : ['', obj.apiVersion!];
  const kind = obj.kind!.toLowerCase();
  const plural = kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`;
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const at = m.namespace ? `${base}/namespaces/${m.namespace}/${plural}/${m.name}` : `${base}/${plural}/${m.name}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await kubeRequest(fleet, cluster, 'PATCH', `${at}?fieldManager=${manager}&force=true`, obj, { contentType: 'application/apply-patch+yaml' });
    if (res.status === 200 || res.status === 201) return;
    // A CRD just installed takes a moment to be served.
    if (res.status !== 404 || Date.now() > deadline) throw new Error(`apply ${obj.kind} ${m.name} on ${cluster}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
