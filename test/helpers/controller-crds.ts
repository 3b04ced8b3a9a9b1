import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { LocalFleetState } from './kube-fleet';
import { kubeRequest } from './kube-fleet';
import { repoRoot } from './paths';

// The real CRDs of Argo CD (Application) and Flux (Kustomization, HelmRelease), vendored from their Go modules in
// test/fixtures/controller-crds (see its README), installed on a test cluster by server-side apply (force). The real
// Application CRD has no status subresource (Argo CD patches the object itself), so install it on dev only: the
// live-state test (prod) and the cluster page test (staging) install a looser Application CRD and write its /status.

/** The vendored CRD files. */
export const CONTROLLER_CRDS = ['argoproj.io_applications.yaml', 'kustomize.toolkit.fluxcd.io_kustomizations.yaml', 'helm.toolkit.fluxcd.io_helmreleases.yaml'] as const;

/** Flux's own CRDs alone (with source-controller's HelmRepository, which Flux repositories render): for clusters other than dev. */
export const FLUX_CRDS = ['kustomize.toolkit.fluxcd.io_kustomizations.yaml', 'helm.toolkit.fluxcd.io_helmreleases.yaml', 'source.toolkit.fluxcd.io_helmrepositories.yaml'] as const;

/** Applies the real controller CRDs (all, or the files given) to a cluster and waits until each is Established. */
export async function installControllerCrds(state: LocalFleetState, cluster: string, files: readonly string[] = CONTROLLER_CRDS): Promise<void> {
  for (const file of files) {
    const crd = parse(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'controller-crds', file), 'utf8')) as { metadata: { name: string } };
    const url = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}?fieldManager=flotilla-tests&force=true`;
    const res = await kubeRequest(state, cluster, 'PATCH', url, crd, { contentType: 'application/apply-patch+yaml' });
    if (res.status !== 200 && res.status !== 201) throw new Error(`installing ${file} on ${cluster}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  }
  const deadline = Date.now() + 60_000;
  for (const file of files) {
    const name = file.replace(/^([^_]+)_(.+)\.yaml$/, '$2.$1');
    for (;;) {
      const res = await kubeRequest(state, cluster, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
      const conditions = ((res.body['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions) ?? [];
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} on ${cluster} not Established after 60 s: ${JSON.stringify(conditions)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
