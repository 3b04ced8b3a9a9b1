import type { KubeObject } from '../../../shared/model/status';
import { adminRequest } from './local-controllers';

// The CustomResourceDefinitions the sandbox installs on every cluster when it starts, so the example fleet's and the
// user's Argo Rollouts can be synced and their health read there. Argo Rollouts' own CRD (argoproj/argo-rollouts,
// manifests/crds/rollout-crd.yaml) has the same group, version, names, scope and status subresource; its long
// OpenAPI schema is left out (`x-kubernetes-preserve-unknown-fields`), so the API server accepts every field of a
// Rollout without validating it. No Rollouts controller runs in the sandbox: a Rollout's status is whatever its
// controller (a test, a script) writes to the status subresource, and its health follows Argo CD's Rollout check.

/** The Argo Rollouts `Rollout` CRD as the sandbox installs it. */
export const ROLLOUT_CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'rollouts.argoproj.io', labels: { 'app.kubernetes.io/name': 'argo-rollouts', 'app.kubernetes.io/part-of': 'argo-rollouts' } },
  spec: {
    group: 'argoproj.io',
    scope: 'Namespaced',
    names: { plural: 'rollouts', singular: 'rollout', kind: 'Rollout', listKind: 'RolloutList', shortNames: ['ro'] },
    versions: [{
      name: 'v1alpha1', served: true, storage: true,
      subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.HPAReplicas', labelSelectorPath: '.status.selector' } },
      schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    }],
  },
};

/** Every CRD the sandbox installs. */
export const SANDBOX_CRDS: readonly KubeObject[] = [ROLLOUT_CRD];

/** Installs the sandbox's CRDs on one cluster (an existing one is kept) and waits until each is Established. */
export async function installSandboxCrds(cluster: { readonly name: string; readonly server: string }, token: string, timeoutMs = 20_000): Promise<void> {
  for (const crd of SANDBOX_CRDS) {
    const name = String(crd.metadata?.['name']);
    const res = await adminRequest(cluster.server, token, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    if (res.status !== 201 && res.status !== 409) throw new Error(`cluster ${cluster.name}: installing CRD ${name}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = await adminRequest(cluster.server, token, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
      const conditions = ((got.body['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`cluster ${cluster.name}: CRD ${name} not Established within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
