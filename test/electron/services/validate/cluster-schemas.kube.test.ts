import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterManager } from '../../../../electron/services/cluster/cluster-manager';
import { bundledSchemasFor } from '../../../../electron/services/validate/bundled-schemas';
import { clusterSchemas } from '../../../../electron/services/validate/cluster-schemas';
import type { SchemaBundle } from '../../../../shared/validate/schema/compact';
import { schemaValidator } from '../../../../shared/validate/schema/schema-check';
import { SchemaSet } from '../../../../shared/validate/schema/schema-set';
import { isRecord, parseYamlDocuments } from '../../../../shared/yaml/documents';
import type { LocalFleetState } from '../../../helpers/kube-fleet';
import { createNamespace, fleetAdmin, freshNamespace, kubeRequest, useKubeFleet } from '../../../helpers/kube-fleet';
import { repoRoot } from '../../../helpers/paths';

// Against a real kube-apiserver: the cluster's own /openapi/v3 (its exact version and a CRD installed only there), and
// the API server's strict server-side dry run as the second oracle — the written built-in corpus gets the same
// verdict from Flotilla's bundled 1.32 schemas as from the API server.

const GROUP = 'live.flotilla.dev';
const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `gizmos.${GROUP}` },
  spec: {
    group: GROUP, scope: 'Namespaced', names: { kind: 'Gizmo', plural: 'gizmos', singular: 'gizmo' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer' }, color: { type: 'string', enum: ['red', 'blue'] } } } } } } }],
  },
};

type Obj = Record<string, unknown>;
const nameOf = (o: Obj): string => String((o.metadata as { name?: string }).name);

/** The REST path of an object (built-in kinds of the corpus), namespaced ones in `ns`. */
function pathOf(o: Obj, ns: string): string | undefined {
  const plural: Record<string, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', CronJob: 'cronjobs', Job: 'jobs', Service: 'services', ConfigMap: 'configmaps', Secret: 'secrets', Ingress: 'ingresses', NetworkPolicy: 'networkpolicies', Role: 'roles', RoleBinding: 'rolebindings', HorizontalPodAutoscaler: 'horizontalpodautoscalers', PodDisruptionBudget: 'poddisruptionbudgets', PersistentVolumeClaim: 'persistentvolumeclaims', Namespace: 'namespaces', Pod: 'pods' };
  const p = plural[String(o.kind)];
  if (!p) return undefined;
  const av = String(o.apiVersion);
  const base = av === 'v1' ? '/api/v1' : `/apis/${av}`;
  return o.kind === 'Namespace' ? `${base}/${p}` : `${base}/namespaces/${ns}/${p}`;
}

describe('schemas of a connected cluster, and the API server as the second oracle', () => {
  let state: LocalFleetState;
  let manager: ClusterManager;
  let live: SchemaBundle;
  beforeAll(async () => {
    state = await useKubeFleet();
    const created = await kubeRequest(state, 'dev', 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', CRD);
    expect([201, 409]).toContain(created.status);
    // The CRD's group appears in /openapi/v3 once it is established.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const index = await kubeRequest(state, 'dev', 'GET', '/openapi/v3');
      if (`apis/${GROUP}/v1` in ((index.body.paths as Obj | undefined) ?? {})) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    manager = fleetAdmin(state, { only: ['dev'] });
    live = await clusterSchemas(manager.connection('dev'));
  }, 120_000);
  afterAll(() => manager?.close());

  it("reads the cluster's version and its kinds, the installed CRD's included", () => {
    expect(live.kubernetesVersion).toBe('1.32.3');
    expect(live.source).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/openapi\/v3$/);
    expect(live.kinds['apps/v1/Deployment']).toBe('api.apps.v1.Deployment');
    expect(live.kinds[`${GROUP}/v1/Gizmo`]).toBeDefined();
    expect(new Set(Object.keys(bundledSchemasFor('1.32').bundle.kinds)).has(`${GROUP}/v1/Gizmo`)).toBe(false);
  });

  it('validates a custom resource against the CRD the cluster serves, which the bundled schemas do not know', () => {
    const gizmo = { apiVersion: `${GROUP}/v1`, kind: 'Gizmo', metadata: { name: 'g' }, spec: { size: 'big', color: 'green', shape: 'round' } };
    const withLive = schemaValidator(new SchemaSet(live)).run([{ object: gizmo }], {}).findings;
    expect(withLive.map((f) => `${f.id} ${f.fieldPath}`)).toEqual(['wrong-type spec.size', 'bad-enum spec.color', 'unknown-field spec.shape']);
    expect(schemaValidator(new SchemaSet(bundledSchemasFor('1.32').bundle)).run([{ object: gizmo }], {}).findings.map((f) => f.id)).toEqual(['no-schema']);
  });

  it("agrees with the API server's strict dry run on every built-in object of the written corpus", async () => {
    const ns = freshNamespace('val');
    await createNamespace(state, 'dev', ns);
    const bundledSet = new SchemaSet(bundledSchemasFor('1.32').bundle);
    const bundled = schemaValidator(bundledSet);
    const liveCheck = schemaValidator(new SchemaSet(live));
    const disagreements: string[] = [];
    let compared = 0;
    for (const file of ['builtin-valid.yaml', 'builtin-invalid.yaml']) {
      const text = readFileSync(path.join(repoRoot, 'test/fixtures/validate/corpus', file), 'utf8');
      for (const d of parseYamlDocuments(text, file).docs) {
        const o = d.value as Obj;
        if (!isRecord(o.metadata)) continue;
        const at = pathOf(o, ns);
        // Kinds with no schema (a removed API version) are not served at all: nothing to compare.
        if (!at || !bundledSet.lookup(String(o.apiVersion), String(o.kind))) continue;
        const object = { ...o, metadata: { ...(o.metadata as Obj), ...(o.kind === 'Namespace' ? {} : { namespace: ns }) } };
        const ours = bundled.run([{ object }], {}).findings.some((f) => f.severity === 'error') ? 'invalid' : 'valid';
        const theirsLive = liveCheck.run([{ object }], {}).findings.some((f) => f.severity === 'error') ? 'invalid' : 'valid';
        const r = await kubeRequest(state, 'dev', 'POST', `${at}?dryRun=All&fieldValidation=Strict`, object);
        const server = r.status >= 200 && r.status < 300 ? 'valid' : 'invalid';
        compared++;
        if (ours !== server || theirsLive !== ours) disagreements.push(`${file} ${o.kind} ${nameOf(o)}: flotilla ${ours} (live schemas ${theirsLive}), API server ${server} (${r.status} ${String(r.body.message ?? '').slice(0, 160)})`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(30);
  }, 120_000);
});
