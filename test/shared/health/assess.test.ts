import { describe, expect, it } from 'vitest';
import type { CustomHealthChecks } from '../../../shared/health';
import { assessHealth, builtinHealth, bundledHealth, hasHealthRule, worstHealth } from '../../../shared/health';
import type { HealthResult, KubeObject } from '../../../shared/model/status';

const deployment = (status: Record<string, unknown>, spec: Record<string, unknown> = { replicas: 3 }): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', generation: 2 },
  spec,
  status: { observedGeneration: 2, ...status },
});

describe('builtinHealth (gitops-engine rules)', () => {
  it('reports a rolled-out Deployment as Healthy and a half-updated one as Progressing with kubectl-style counts', () => {
    expect(builtinHealth(deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }))).toEqual({ status: 'Healthy', message: '' });
    expect(builtinHealth(deployment({ replicas: 3, updatedReplicas: 1, availableReplicas: 1 }))).toEqual({
      status: 'Progressing',
      message: 'Waiting for rollout to finish: 1 out of 3 new replicas have been updated...',
    });
  });

  it('reports an exceeded progress deadline as Degraded, naming the Deployment', () => {
    const obj = deployment({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(builtinHealth(obj)).toEqual({ status: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' });
  });

  it('waits while the controller has not observed the latest generation', () => {
    const obj = deployment({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(builtinHealth(obj)?.message).toBe('Waiting for rollout to finish: observed deployment generation less than desired generation');
  });

  it('answers Unknown for an API version gitops-engine does not convert', () => {
    expect(builtinHealth({ ...deployment({}), apiVersion: 'apps/v1beta2' })).toEqual({ status: 'Unknown', message: 'unsupported Deployment GVK: apps/v1beta2, Kind=Deployment' });
  });

  it('has no opinion on kinds without a built-in check', () => {
    expect(builtinHealth({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toBeUndefined();
    expect(builtinHealth({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' })).toBeUndefined();
  });

  it('reports any object being deleted as Progressing "Pending deletion" unless it is a hook', () => {
    const deleting = { ...deployment({}), metadata: { name: 'web', deletionTimestamp: '2024-01-01T00:00:00Z' } };
    expect(builtinHealth(deleting)).toEqual({ status: 'Progressing', message: 'Pending deletion' });
    const hook = { ...deleting, metadata: { ...deleting.metadata, finalizers: ['argocd.argoproj.io/hook-finalizer'] } };
    expect(builtinHealth(hook)?.message).not.toBe('Pending deletion');
  });
});

describe('assessHealth (custom, built-in, bundled ports, standard conditions)', () => {
  it('lets a custom check win over the built-in rule', () => {
    const custom: CustomHealthChecks = { check: (_obj, group, kind) => (group === 'apps' && kind === 'Deployment' ? { status: 'Suspended', message: 'custom' } : undefined) };
    expect(assessHealth(deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), { custom })).toEqual({ status: 'Suspended', message: 'custom' });
  });

  it('falls back to the built-in rule when the custom checks have nothing for the kind', () => {
    const custom: CustomHealthChecks = { check: () => undefined };
    expect(assessHealth({ apiVersion: 'v1', kind: 'Service', spec: { type: 'LoadBalancer' } }, { custom }).status).toBe('Progressing');
  });

  it('uses the port of the bundled script for CRDs such as cert-manager Certificates', () => {
    const cert = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', status: { conditions: [{ type: 'Ready', status: 'False', message: 'secret missing' }] } };
    expect(assessHealth(cert)).toEqual({ status: 'Degraded', message: 'secret missing' });
    expect(hasHealthRule('cert-manager.io', 'Certificate')).toBe(true);
  });

  it('lets a bundled port that handles deletion itself describe the blocking finalizers', () => {
    const so = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x', deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['finalizer.keda.sh'] } };
    expect(assessHealth(so)).toEqual({ status: 'Progressing', message: 'Pending deletion; blocked by finalizers: finalizer.keda.sh' });
  });

  it('reads standard conditions of kinds with no rule, and is Healthy without them', () => {
    expect(assessHealth({ apiVersion: 'v1', kind: 'ConfigMap', data: {} })).toEqual({ status: 'Healthy', message: '' });
    const notReady = { apiVersion: 'example.com/v1', kind: 'Widget', status: { conditions: [{ type: 'Ready', status: 'False', message: 'bad config' }] } };
    expect(assessHealth(notReady)).toEqual({ status: 'Degraded', message: 'bad config' });
    const reconciling = { apiVersion: 'example.com/v1', kind: 'Widget', status: { conditions: [{ type: 'Ready', status: 'Unknown', message: 'working' }] } };
    expect(assessHealth(reconciling)).toEqual({ status: 'Progressing', message: 'working' });
    const stalled = { apiVersion: 'example.com/v1', kind: 'Widget', status: { conditions: [{ type: 'Stalled', status: 'True', message: 'stuck' }, { type: 'Ready', status: 'True' }] } };
    expect(assessHealth(stalled)).toEqual({ status: 'Degraded', message: 'stuck' });
  });

  it('reads a kind without a rule as Progressing while it reconciles or its controller lags behind the spec', () => {
    const reconciling = { apiVersion: 'example.com/v1', kind: 'Widget', status: { conditions: [{ type: 'Reconciling', status: 'True', message: 'applying' }, { type: 'Ready', status: 'False', message: 'not yet' }] } };
    expect(assessHealth(reconciling)).toEqual({ status: 'Progressing', message: 'applying' });
    const lagging = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { generation: 3 }, status: { observedGeneration: 2, conditions: [{ type: 'Ready', status: 'True' }] } };
    expect(assessHealth(lagging)).toEqual({ status: 'Progressing', message: 'Waiting for the controller to observe the latest spec' });
  });

  it('keeps bundled ports free of the global deletion rule when asked directly', () => {
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { deletionTimestamp: '2024-01-01T00:00:00Z' } };
    expect(bundledHealth(crd)).toEqual({ status: 'Progressing', message: 'CRD is terminating' });
    expect(assessHealth(crd)).toEqual({ status: 'Progressing', message: 'CRD is terminating' });
  });
});

describe('worstHealth', () => {
  const h = (status: HealthResult['status'], message = ''): HealthResult => ({ status, message });

  it("picks the worst status in Argo CD's order: Healthy < Suspended < Progressing < Missing < Degraded < Unknown", () => {
    expect(worstHealth([h('Healthy'), h('Suspended')]).status).toBe('Suspended');
    expect(worstHealth([h('Suspended'), h('Progressing'), h('Healthy')]).status).toBe('Progressing');
    expect(worstHealth([h('Degraded', 'crash'), h('Missing')])).toEqual(h('Degraded', 'crash'));
    expect(worstHealth([h('Degraded'), h('Unknown', 'why')])).toEqual(h('Unknown', 'why'));
  });

  it('counts a suspended Job as Healthy in its app, as gitops-engine does, while the Job itself reads Suspended', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', spec: { suspend: true }, status: { conditions: [{ type: 'Suspended', status: 'True', message: 'Job suspended' }] } };
    const jobHealth = assessHealth(job);
    expect(jobHealth).toMatchObject({ status: 'Suspended', message: 'Job suspended' });
    expect(worstHealth([h('Healthy'), jobHealth])).toEqual(h('Healthy'));
    expect(worstHealth([jobHealth, h('Progressing', 'rolling')])).toEqual(h('Progressing', 'rolling'));
  });

  it('keeps the first of equally bad results and is Healthy for an app without resources', () => {
    expect(worstHealth([h('Progressing', 'first'), h('Progressing', 'second')]).message).toBe('first');
    expect(worstHealth([])).toEqual(h('Healthy'));
  });
});
