// Reads ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects (admissionregistration.k8s.io/v1) from
// rendered or live objects into typed policies and bindings; a malformed one is a Problem naming it and its file, and
// the others are still read.

import type { Problem } from '../../problem';
import { problem } from '../../problem';
import { isRecord } from '../../yaml/documents';
import type { ValidationInput } from '../finding';
import type { Locatable } from './where';
import { whereIs } from './where';
import type {
  AdmissionBinding, AdmissionPolicy, AuditAnnotation, MatchResources, NamedExpression, ParamRef, ResourceRule, Validation, ValidationAction,
} from './types';

/** The policies (by name) and bindings among a set of objects, and what was wrong with them. */
export interface PolicySet {
  readonly policies: ReadonlyMap<string, AdmissionPolicy>;
  readonly bindings: readonly AdmissionBinding[];
  readonly problems: readonly Problem[];
}

const GROUP = 'admissionregistration.k8s.io/';

/** Whether an object is a ValidatingAdmissionPolicy or its binding (any served version). */
export function isAdmissionPolicyObject(o: Readonly<Record<string, unknown>>): boolean {
  return String(o['apiVersion'] ?? '').startsWith(GROUP) && (o['kind'] === 'ValidatingAdmissionPolicy' || o['kind'] === 'ValidatingAdmissionPolicyBinding');
}

class ShapeError extends Error {}

const strings = (v: unknown, field: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ShapeError(`${field} must be a list of strings`);
  return v as string[];
};

const str = (v: unknown, field: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ShapeError(`${field} must be a string`);
  return v;
};

function rules(v: unknown, field: string): ResourceRule[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ShapeError(`${field} must be a list`);
  return v.map((r, i) => {
    const at = `${field}[${i}]`;
    if (!isRecord(r)) throw new ShapeError(`${at} must be a map`);
    return {
      apiGroups: strings(r['apiGroups'], `${at}.apiGroups`),
      apiVersions: strings(r['apiVersions'], `${at}.apiVersions`),
      resources: strings(r['resources'], `${at}.resources`),
      operations: strings(r['operations'], `${at}.operations`),
      resourceNames: strings(r['resourceNames'], `${at}.resourceNames`),
      scope: str(r['scope'], `${at}.scope`) ?? '*',
    };
  });
}

function matchResources(v: unknown, field: string): MatchResources | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) throw new ShapeError(`${field} must be a map`);
  const policy = str(v['matchPolicy'], `${field}.matchPolicy`) ?? 'Equivalent';
  if (policy !== 'Equivalent' && policy !== 'Exact') throw new ShapeError(`${field}.matchPolicy must be Equivalent or Exact, not "${policy}"`);
  return {
    ...(v['namespaceSelector'] != null ? { namespaceSelector: v['namespaceSelector'] } : {}),
    ...(v['objectSelector'] != null ? { objectSelector: v['objectSelector'] } : {}),
    resourceRules: rules(v['resourceRules'], `${field}.resourceRules`),
    excludeResourceRules: rules(v['excludeResourceRules'], `${field}.excludeResourceRules`),
    matchPolicy: policy,
  };
}

function list<T>(v: unknown, field: string, each: (x: Record<string, unknown>, at: string) => T): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ShapeError(`${field} must be a list`);
  return v.map((x, i) => {
    if (!isRecord(x)) throw new ShapeError(`${field}[${i}] must be a map`);
    return each(x, `${field}[${i}]`);
  });
}

function named(v: unknown, field: string): NamedExpression[] {
  return list(v, field, (x, at) => ({ name: str(x['name'], `${at}.name`) ?? '', expression: required(str(x['expression'], `${at}.expression`), `${at}.expression`) }));
}

function required<T>(v: T | undefined, field: string): T {
  if (v === undefined || v === '') throw new ShapeError(`${field} is required`);
  return v;
}

function readPolicy(o: Readonly<Record<string, unknown>>, name: string, { source, locate }: Locatable): AdmissionPolicy {
  const spec = isRecord(o['spec']) ? o['spec'] : {};
  const failurePolicy = str(spec['failurePolicy'], 'spec.failurePolicy') ?? 'Fail';
  if (failurePolicy !== 'Fail' && failurePolicy !== 'Ignore') throw new ShapeError(`spec.failurePolicy must be Fail or Ignore, not "${failurePolicy}"`);
  const pk = spec['paramKind'];
  let paramKind: AdmissionPolicy['paramKind'];
  if (pk != null) {
    if (!isRecord(pk)) throw new ShapeError('spec.paramKind must be a map');
    paramKind = { apiVersion: required(str(pk['apiVersion'], 'spec.paramKind.apiVersion'), 'spec.paramKind.apiVersion'), kind: required(str(pk['kind'], 'spec.paramKind.kind'), 'spec.paramKind.kind') };
  }
  const validations: Validation[] = list(spec['validations'], 'spec.validations', (x, at) => {
    const message = str(x['message'], `${at}.message`);
    const messageExpression = str(x['messageExpression'], `${at}.messageExpression`);
    const reason = str(x['reason'], `${at}.reason`);
    return { expression: required(str(x['expression'], `${at}.expression`), `${at}.expression`), ...(message !== undefined ? { message } : {}), ...(messageExpression !== undefined ? { messageExpression } : {}), ...(reason !== undefined ? { reason } : {}) };
  });
  const auditAnnotations: AuditAnnotation[] = list(spec['auditAnnotations'], 'spec.auditAnnotations', (x, at) => ({
    key: required(str(x['key'], `${at}.key`), `${at}.key`), valueExpression: required(str(x['valueExpression'], `${at}.valueExpression`), `${at}.valueExpression`),
  }));
  const matchConstraints = matchResources(spec['matchConstraints'], 'spec.matchConstraints');
  if (!matchConstraints) throw new ShapeError('spec.matchConstraints is required');
  if (validations.length === 0 && auditAnnotations.length === 0) throw new ShapeError('spec.validations or spec.auditAnnotations must be set');
  return {
    name, failurePolicy, ...(paramKind ? { paramKind } : {}), matchConstraints,
    matchConditions: named(spec['matchConditions'], 'spec.matchConditions'), variables: named(spec['variables'], 'spec.variables'),
    validations, auditAnnotations, ...(source ? { source } : {}), ...(locate ? { locate } : {}),
  };
}

function readBinding(o: Readonly<Record<string, unknown>>, name: string, { source, locate }: Locatable): AdmissionBinding {
  const spec = isRecord(o['spec']) ? o['spec'] : {};
  const policyName = required(str(spec['policyName'], 'spec.policyName'), 'spec.policyName');
  const actions = strings(spec['validationActions'], 'spec.validationActions');
  if (actions.length === 0) throw new ShapeError('spec.validationActions is required (Deny, Warn and/or Audit)');
  for (const a of actions) if (a !== 'Deny' && a !== 'Warn' && a !== 'Audit') throw new ShapeError(`spec.validationActions: "${a}" is not Deny, Warn or Audit`);
  if (actions.includes('Deny') && actions.includes('Warn')) throw new ShapeError('spec.validationActions: Deny and Warn may not be used together');
  let paramRef: ParamRef | undefined;
  const pr = spec['paramRef'];
  if (pr != null) {
    if (!isRecord(pr)) throw new ShapeError('spec.paramRef must be a map');
    const prName = str(pr['name'], 'spec.paramRef.name');
    const namespace = str(pr['namespace'], 'spec.paramRef.namespace');
    const action = str(pr['parameterNotFoundAction'], 'spec.paramRef.parameterNotFoundAction');
    if (action !== 'Allow' && action !== 'Deny') throw new ShapeError('spec.paramRef.parameterNotFoundAction must be Allow or Deny');
    if ((prName ? 1 : 0) + (pr['selector'] != null ? 1 : 0) !== 1) throw new ShapeError('spec.paramRef: exactly one of name or selector must be set');
    paramRef = { ...(prName ? { name: prName } : {}), ...(namespace ? { namespace } : {}), ...(pr['selector'] != null ? { selector: pr['selector'] } : {}), parameterNotFoundAction: action };
  }
  const mr = matchResources(spec['matchResources'], 'spec.matchResources');
  return { name, policyName, ...(paramRef ? { paramRef } : {}), ...(mr ? { matchResources: mr } : {}), validationActions: actions as ValidationAction[], ...(source ? { source } : {}), ...(locate ? { locate } : {}) };
}

/** Reads every policy and binding among `objects`; later objects of the same name replace earlier ones. */
export function readPolicySet(objects: readonly ValidationInput[]): PolicySet {
  const policies = new Map<string, AdmissionPolicy>();
  const bindings = new Map<string, AdmissionBinding>();
  const problems: Problem[] = [];
  for (const input of objects) {
    const o = input.object;
    if (!isAdmissionPolicyObject(o)) continue;
    const kind = String(o['kind']);
    const name = isRecord(o['metadata']) && typeof o['metadata']['name'] === 'string' ? o['metadata']['name'] : '';
    const where = { ...whereIs(input), resource: `admissionregistration.k8s.io/${kind}/${name}` };
    if (!String(o['apiVersion']).endsWith('/v1')) {
      problems.push({ ...problem(`${kind} ${name}: ${String(o['apiVersion'])} is not checked (only admissionregistration.k8s.io/v1)`, where), severity: 'warning' });
      continue;
    }
    try {
      if (!name) throw new ShapeError('metadata.name is required');
      if (kind === 'ValidatingAdmissionPolicy') policies.set(name, readPolicy(o, name, input));
      else bindings.set(name, readBinding(o, name, input));
    } catch (err) {
      if (!(err instanceof ShapeError)) throw err;
      problems.push(problem(`${kind} ${name || '(unnamed)'}: ${err.message}`, { ...where, ...whereIs(input, err.message) }));
    }
  }
  for (const b of bindings.values()) {
    if (policies.has(b.policyName)) continue;
    problems.push({ ...problem(`ValidatingAdmissionPolicyBinding ${b.name} binds policy ${b.policyName}, which does not exist; the binding has no effect`, {
      ...whereIs(b, 'spec.policyName'), resource: `admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding/${b.name}`,
    }), severity: 'warning' });
  }
  return { policies, bindings: [...bindings.values()], problems };
}
