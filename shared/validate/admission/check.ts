// The admission check of the validation pipeline: a target cluster's ValidatingAdmissionPolicies and bindings (read
// from its rendered objects and/or live) evaluated offline on rendered objects, as findings
// ("prod's policy `require-team-label` would deny Deployment api: …"), with Problems for policies that cannot be used.

import type { Problem } from '../../problem';
import { problem } from '../../problem';
import { isRecord } from '../../yaml/documents';
import type { ObjectRef, ValidationFinding, ValidationInput } from '../finding';
import { toCel } from './cel-values';
import { compilePolicies } from './compile';
import { withServerDefaults } from './defaults';
import type { AdmissionWorld, PolicyEngine, RequestVerdict } from './evaluate';
import { evaluateRequest, policyEngine } from './evaluate';
import { readPolicySet } from './policy-set';
import { maskValues, secretValues } from './secret-values';
import { whereIs } from './where';
import type { ResourceMapper, ServedResource } from './resources';
import { resourceMapper, splitApiVersion } from './resources';
import type { AdmissionDecision, AdmissionRequest, KubeJson } from './types';

/** Where the policies of one target cluster come from, and what is known of it. */
export interface AdmissionClusterState {
  /** The cluster's name, for messages (`prod's policy …`). */
  readonly cluster?: string;
  /** Objects read live from the cluster: policies, bindings, params, Namespaces, CRDs (rendered ones replace them). */
  readonly liveObjects?: readonly KubeJson[];
  /** Every rendered object of the target cluster (all its apps): policies, bindings, params, Namespaces, CRDs. */
  readonly renderedObjects?: readonly ValidationInput[];
  /** The cluster's discovery (plural names, scope); the built-in kinds of Kubernetes 1.32 when absent. */
  readonly discovery?: readonly ServedResource[];
  /** The object as it is now on the cluster (becomes `oldObject`, and the operation UPDATE); absent: CREATE. */
  readonly liveObject?: (ref: ObjectRef) => KubeJson | undefined;
  /** The namespace of namespaced objects that set none (the Application's destination namespace); `default` if unset. */
  readonly defaultNamespace?: string;
  /** Problems met while gathering this state (a cluster whose live policies could not be read), reported first. */
  readonly gatherProblems?: readonly Problem[];
  /** Who the request is made as (`request.userInfo`); Flotilla's field manager by default. */
  readonly userInfo?: { readonly username: string; readonly groups: readonly string[] };
}

/** The outcome for one object: the request built for it (absent when its resource is unknown) and the decisions. */
export interface AdmissionOutcome {
  readonly request?: AdmissionRequest;
  readonly verdict: RequestVerdict;
}

/** A cluster's policies compiled once, to check any number of objects. */
export interface AdmissionChecker {
  /** Problems with the policies and bindings themselves (shape, compilation, dangling bindings). */
  readonly problems: readonly Problem[];
  /** Whether any policy is bound (nothing to check otherwise). */
  readonly active: boolean;
  /** Evaluates one object as the API server would on creating or updating it (messages as the server prints them, Secret values included: show people `findings`). */
  evaluate(input: ValidationInput): AdmissionOutcome;
  /** The findings of one object. */
  findings(input: ValidationInput, app?: string): ValidationFinding[];
}

const NO_VERDICT: RequestVerdict = { decisions: [], undecided: [] };

function meta(o: KubeJson): Record<string, unknown> {
  return isRecord(o['metadata']) ? o['metadata'] : {};
}

function identity(o: KubeJson): string {
  const m = meta(o);
  return `${String(o['apiVersion'])}/${String(o['kind'])}/${String(m['namespace'] ?? '')}/${String(m['name'] ?? '')}`;
}

function world(objects: readonly KubeJson[], resources: ResourceMapper): AdmissionWorld {
  const byKind = new Map<string, KubeJson[]>();
  const namespaces = new Map<string, KubeJson>();
  for (const o of objects) {
    const key = `${String(o['apiVersion'])}/${String(o['kind'])}`;
    const list = byKind.get(key) ?? [];
    list.push(o);
    byKind.set(key, list);
    if (o['apiVersion'] === 'v1' && o['kind'] === 'Namespace' && typeof meta(o)['name'] === 'string') namespaces.set(meta(o)['name'] as string, o);
  }
  return { resources, namespace: (name) => namespaces.get(name), objectsOf: (apiVersion, kind) => byKind.get(`${apiVersion}/${kind}`) ?? [] };
}

/** Compiles the policies of one target cluster for checking objects against them. */
export function admissionChecker(state: AdmissionClusterState): AdmissionChecker {
  const rendered = state.renderedObjects ?? [];
  // Rendered objects replace live ones of the same identity: they are what the cluster will hold after the change.
  const merged = new Map<string, ValidationInput>();
  for (const o of state.liveObjects ?? []) merged.set(identity(o), { object: o });
  for (const r of rendered) merged.set(identity(r.object), r);
  const inputs = [...merged.values()];
  const objects = inputs.map((i) => i.object);
  const resources = resourceMapper(objects, state.discovery);
  const set = readPolicySet(inputs);
  const { compiled, problems: compileProblems } = compilePolicies(set.policies.values());
  const engine: PolicyEngine = policyEngine(compiled, set.bindings);
  const w = world(objects, resources);
  const problems: Problem[] = [...(state.gatherProblems ?? []), ...set.problems, ...compileProblems].map((p) => (state.cluster ? { ...p, cluster: state.cluster } : p));
  for (const b of set.bindings) {
    const p = set.policies.get(b.policyName);
    if (!p?.paramKind || !b.paramRef?.name || b.paramRef.namespace === undefined) continue;
    const found = w.objectsOf(p.paramKind.apiVersion, p.paramKind.kind).some((o) => meta(o)['name'] === b.paramRef!.name && (meta(o)['namespace'] ?? '') === b.paramRef!.namespace);
    if (!found) {
      problems.push({ ...problem(`ValidatingAdmissionPolicyBinding ${b.name}: its param ${p.paramKind.kind} ${b.paramRef.namespace}/${b.paramRef.name} is neither rendered nor on the cluster (parameterNotFoundAction: ${b.paramRef.parameterNotFoundAction})`, {
        ...whereIs(b, 'spec.paramRef.name'), resource: `admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding/${b.name}`, ...(state.cluster ? { cluster: state.cluster } : {}),
      }), severity: 'warning' });
    }
  }
  const active = engine.entries.some((e) => e.bindings.length > 0);
  // Secrets among the cluster's objects may be params: their values are masked in every message.
  const paramSecrets = objects.flatMap(secretValues);
  const user = state.userInfo ?? { username: 'flotilla', groups: ['system:authenticated'] };
  const unknownKinds = new Set<string>();

  const evaluate = (input: ValidationInput): AdmissionOutcome => {
    if (!active) return { verdict: NO_VERDICT };
    const o = input.object;
    const { group, version } = splitApiVersion(String(o['apiVersion'] ?? ''));
    const kind = String(o['kind'] ?? '');
    const served = resources.find({ group, version, kind });
    if (!served) return { verdict: NO_VERDICT };
    const m = meta(o);
    const name = String(m['name'] ?? '');
    const isNamespace = group === '' && kind === 'Namespace';
    const namespace = served.namespaced ? String(m['namespace'] ?? state.defaultNamespace ?? 'default') : isNamespace ? name : '';
    const ref: ObjectRef = { apiVersion: String(o['apiVersion']), kind, name, ...(served.namespaced ? { namespace } : {}) };
    const old = state.liveObject?.(ref) ?? null;
    const request: AdmissionRequest = {
      operation: old ? 'UPDATE' : 'CREATE', kind: { group, version, kind }, resource: { group, version, resource: served.resource },
      name, namespace, namespaced: served.namespaced, object: withServerDefaults(o, served.namespaced ? namespace : ''), oldObject: old ? (toCel(old) as KubeJson) : null, userInfo: user,
    };
    return { request, verdict: evaluateRequest(engine, request, w) };
  };

  const findings = (input: ValidationInput, app?: string): ValidationFinding[] => {
    const out = evaluate(input);
    const o = input.object;
    if (!out.request) {
      const gvk = `${String(o['apiVersion'])} ${String(o['kind'])}`;
      if (active && !unknownKinds.has(gvk)) {
        unknownKinds.add(gvk);
        problems.push({ ...problem(`admission policies not checked for ${gvk}: its resource is not known (no CRD among the rendered objects, not served by the cluster)`, { ...whereIs(input), ...(state.cluster ? { cluster: state.cluster } : {}) }), severity: 'warning' });
      }
      return [];
    }
    const req = out.request;
    const secrets = [...paramSecrets, ...secretValues(req.object), ...secretValues(req.oldObject)];
    const object: ObjectRef = { apiVersion: String(o['apiVersion']), kind: req.kind.kind, name: req.name, ...(req.namespaced ? { namespace: req.namespace } : {}) };
    const whose = state.cluster ? `${state.cluster}'s policy` : 'policy';
    const common = { check: 'admission' as const, object, ...(input.source ? { source: input.source } : {}), ...(state.cluster ? { cluster: state.cluster } : {}), ...(app ? { app } : {}) };
    const result: ValidationFinding[] = out.verdict.decisions.map((d: AdmissionDecision) => {
      const deny = d.actions.includes('Deny');
      const verb = deny ? 'would deny' : d.actions.includes('Warn') ? 'would warn on' : 'would audit';
      return {
        ...common, id: d.policy, severity: deny ? 'error' : 'warning',
        message: `${whose} \`${d.policy}\`${d.binding ? ` (binding ${d.binding})` : ''} ${verb} ${req.kind.kind} ${req.name}: ${maskValues(d.message, secrets)}`,
        remediation: d.evaluation === 'error' ? 'fix the policy, its binding or its params, or the object the expression reads' : `change the object so that the policy's validation holds`,
      };
    });
    for (const u of out.verdict.undecided) {
      result.push({ ...common, id: u.policy, severity: 'warning', message: `${whose} \`${u.policy}\` could not be checked on ${req.kind.kind} ${req.name}: ${u.reason}` });
    }
    return result;
  };

  return { problems, active, evaluate, findings };
}

/** Checks rendered objects against one cluster's admission policies: the findings of every object, and the problems. */
export function checkAdmission(objects: readonly ValidationInput[], state: AdmissionClusterState, app?: string): { readonly findings: ValidationFinding[]; readonly problems: readonly Problem[] } {
  const checker = admissionChecker(state);
  const findings = objects.flatMap((i) => checker.findings(i, app));
  return { findings, problems: checker.problems };
}
