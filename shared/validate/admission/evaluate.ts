// Evaluates compiled admission policies on one admission request the way the API server's validating admission
// policy plugin does: policy match, binding match, params (paramRef name/selector, parameterNotFoundAction),
// matchConditions, lazily evaluated variables, validations with message / messageExpression / reason, audit
// annotations, and failurePolicy for errors. The result is every decision that fails (deny or error), in policy and
// binding name order.

import { isRecord } from '../../yaml/documents';
import { compileLabelSelector, SelectorError } from '../../appset/label-selector';
import { celErrorText, toCel } from './cel-values';
import type { CompiledPolicy } from './compile';
import { matchResources, UnknownNamespaceError } from './matching';
import type { ResourceMapper, ServedResource } from './resources';
import { splitApiVersion } from './resources';
import type { AdmissionBinding, AdmissionDecision, AdmissionRequest, GroupVersionResource, KubeJson } from './types';

/** What the offline evaluator knows of the cluster: its resources, namespaces and the objects params come from. */
export interface AdmissionWorld {
  readonly resources: ResourceMapper;
  /** The Namespace object of a name, or undefined when it is neither rendered nor known live. */
  namespace(name: string): KubeJson | undefined;
  /** Every known object of an apiVersion and kind (param candidates). */
  objectsOf(apiVersion: string, kind: string): readonly KubeJson[];
}

/** Compiled policies with their bindings, in the order they are evaluated. */
export interface PolicyEngine {
  readonly entries: readonly { readonly policy: CompiledPolicy; readonly bindings: readonly AdmissionBinding[] }[];
}

/** The decisions on one request, and why a policy could not be decided offline (not a pass). */
export interface RequestVerdict {
  readonly decisions: readonly AdmissionDecision[];
  readonly undecided: readonly { readonly policy: string; readonly binding?: string; readonly reason: string }[];
}

/** Orders compiled policies and their bindings by name (the API server's order is a map's; messages are compared as sets). */
export function policyEngine(compiled: ReadonlyMap<string, CompiledPolicy>, bindings: readonly AdmissionBinding[]): PolicyEngine {
  const byName = [...compiled.keys()].sort();
  return {
    entries: byName.map((name) => ({
      policy: compiled.get(name)!,
      bindings: bindings.filter((b) => b.policyName === name).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    })),
  };
}

class ConfigError extends Error {}

function metaOf(o: KubeJson): Record<string, unknown> {
  return isRecord(o['metadata']) ? o['metadata'] : {};
}

function gvkString(apiVersion: string, kind: string): string {
  const { group, version } = splitApiVersion(apiVersion);
  return `${group}/${version}, Kind=${kind}`;
}

/** The served resource of a policy's paramKind (undefined when it takes none); throws when the cluster serves no such kind. */
function paramResource(policy: CompiledPolicy, world: AdmissionWorld): ServedResource | undefined {
  const pk = policy.policy.paramKind;
  if (!pk) return undefined;
  const { group, version } = splitApiVersion(pk.apiVersion);
  const served = world.resources.find({ group, version, kind: pk.kind });
  if (!served) throw new ConfigError(`failed to configure policy: failed to find resource referenced by paramKind: '${gvkString(pk.apiVersion, pk.kind)}'`);
  return served;
}

/** The params a binding selects for a request (`[null]` when the policy takes none), as CollectParams does. */
function collectParams(policy: CompiledPolicy, binding: AdmissionBinding, req: AdmissionRequest, world: AdmissionWorld): (KubeJson | null)[] {
  const pk = policy.policy.paramKind;
  const ref = binding.paramRef;
  if (!pk || !ref) return [null];
  const served = paramResource(policy, world);
  if (!served) return [null];
  let namespace = '';
  if (served.namespaced) {
    namespace = ref.namespace || req.namespace;
    if (!namespace) throw new ConfigError('failed to configure binding: cannot use namespaced paramRef in policy binding that matches cluster-scoped resources');
  } else if (ref.namespace) {
    throw new ConfigError('failed to configure binding: paramRef.namespace must not be provided for a cluster-scoped `paramKind`');
  }
  const candidates = world.objectsOf(pk.apiVersion, pk.kind).filter((o) => !served.namespaced || metaOf(o)['namespace'] === namespace);
  let params: KubeJson[];
  if (ref.name) {
    params = candidates.filter((o) => metaOf(o)['name'] === ref.name);
  } else {
    let sel: ReturnType<typeof compileLabelSelector>;
    try {
      sel = compileLabelSelector(ref.selector ?? {});
    } catch (err) {
      throw new ConfigError(`failed to configure binding: ${err instanceof Error ? err.message : String(err)}`);
    }
    params = candidates.filter((o) => sel(isRecord(metaOf(o)['labels']) ? (metaOf(o)['labels'] as Record<string, string>) : {}));
  }
  if (params.length === 0 && ref.parameterNotFoundAction === 'Deny') {
    throw new ConfigError('failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction');
  }
  return params;
}

/** The `request` variable: the AdmissionRequest fields policies read. */
function requestValue(req: AdmissionRequest, resource: GroupVersionResource): Record<string, unknown> {
  return {
    kind: { ...req.kind }, resource: { ...resource }, requestKind: { ...req.kind }, requestResource: { ...req.resource },
    name: req.name, namespace: req.namespace, operation: req.operation,
    userInfo: { username: req.userInfo.username, groups: [...req.userInfo.groups] }, dryRun: false,
    options: { apiVersion: 'meta.k8s.io/v1', kind: req.operation === 'CREATE' ? 'CreateOptions' : 'UpdateOptions' },
  };
}

/** The `namespaceObject` variable: the namespace's metadata, spec and status. */
function namespaceValue(ns: KubeJson): Record<string, unknown> {
  const { metadata, spec, status } = ns as Record<string, unknown>;
  return { metadata: metadata ?? {}, spec: spec ?? {}, status: status ?? {} };
}

// Params and namespaces are shared by many requests: each is converted to CEL values once.
const celCache = new WeakMap<object, WeakMap<object, unknown>>();
const IDENTITY = (o: KubeJson): unknown => o;

function celOf(o: KubeJson, view: (o: KubeJson) => unknown = IDENTITY): unknown {
  let byView = celCache.get(view);
  if (!byView) celCache.set(view, (byView = new WeakMap()));
  if (!byView.has(o)) byView.set(o, toCel(view(o)));
  return byView.get(o);
}

const expressionError = (expression: string, err: unknown): string => `expression '${expression}' resulted in error: ${celErrorText(err)}`;

/** Evaluates one policy × binding × param; pushes its failing decisions. */
function evaluateInvocation(
  cp: CompiledPolicy, binding: AdmissionBinding, base: Record<string, unknown>, param: KubeJson | null, out: AdmissionDecision[],
): void {
  const policy = cp.policy;
  const fail = policy.failurePolicy === 'Fail';
  const actions = binding.validationActions;
  const activation: Record<string, unknown> = { ...base, params: param === null ? null : celOf(param) };
  const cache = new Map<string, { value?: unknown; error?: unknown }>();
  const variables: Record<string, unknown> = {};
  for (const v of cp.variables) {
    Object.defineProperty(variables, v.name, {
      enumerable: true,
      get() {
        let hit = cache.get(v.name);
        if (!hit) {
          try {
            hit = { value: v.run(activation) };
          } catch (error) {
            hit = { error };
          }
          cache.set(v.name, hit);
        }
        if (hit.error !== undefined) throw new Error(`composited variable "${v.name}" fails to evaluate: ${celErrorText(hit.error)}`);
        return hit.value;
      },
    });
  }
  activation['variables'] = variables;
  const error = (message: string): void => {
    if (fail) out.push({ policy: policy.name, binding: binding.name, evaluation: 'error', actions, message, reason: 'Invalid' });
  };

  // matchConditions: any false skips the policy; otherwise any error is an error.
  const conditionErrors: string[] = [];
  for (const m of cp.matchConditions) {
    try {
      if (m.run(activation) === false) return;
    } catch (err) {
      conditionErrors.push(expressionError(m.expression, err));
    }
  }
  if (conditionErrors.length > 0) {
    error(conditionErrors.length === 1 ? conditionErrors[0]! : `[${conditionErrors.join(', ')}]`);
    return;
  }

  cp.validations.forEach((v, index) => {
    let result: unknown;
    try {
      result = v.run(activation);
    } catch (err) {
      error(expressionError(v.validation.expression, err));
      return;
    }
    if (result === true) return;
    let message = '';
    if (v.message) {
      try {
        const m = v.message(activation);
        if (typeof m === 'string') {
          message = m.trim();
          if (message.length > 5 * 1024 || message.includes('\n')) message = '';
        }
      } catch {
        // The API server logs a failed messageExpression and falls back to message.
      }
    }
    if (!message && v.validation.message) message = v.validation.message.trim();
    if (!message) message = `failed expression: ${v.validation.expression.trim()}`;
    out.push({ policy: policy.name, binding: binding.name, evaluation: 'deny', actions, message, reason: v.validation.reason ?? 'Invalid', validationIndex: index });
  });

  for (const a of cp.auditAnnotations) {
    try {
      const value = a.run(activation);
      if (value !== null && typeof value !== 'string') error(`valueExpression '${policy.auditAnnotations.find((x) => x.key === a.key)?.valueExpression ?? ''}' resulted in unsupported return type. Return type must be either string or null.`);
    } catch (err) {
      error(expressionError(policy.auditAnnotations.find((x) => x.key === a.key)?.valueExpression ?? '', err));
    }
  }
}

/** Every failing decision of `engine` on `req`; `namespace` is the request's Namespace object when known. */
export function evaluateRequest(engine: PolicyEngine, req: AdmissionRequest, world: AdmissionWorld): RequestVerdict {
  const decisions: AdmissionDecision[] = [];
  const undecided: { policy: string; binding?: string; reason: string }[] = [];
  const isNamespace = req.kind.group === '' && req.kind.kind === 'Namespace';
  const nsName = isNamespace ? '' : req.namespace;
  const namespace = nsName ? world.namespace(nsName) : undefined;
  let base: Record<string, unknown> | undefined;
  for (const { policy: cp, bindings } of engine.entries) {
    // The API server only considers policies that have a binding.
    if (bindings.length === 0) continue;
    const policy = cp.policy;
    const configError = (message: string, binding?: string): void => {
      if (policy.failurePolicy === 'Fail') decisions.push({ policy: policy.name, ...(binding ? { binding } : {}), evaluation: 'error', actions: ['Deny'], message, reason: 'Invalid' });
    };
    let resource: GroupVersionResource;
    try {
      const m = matchResources(policy.matchConstraints!, req, namespace, world.resources);
      if (!m.matches) continue;
      resource = m.resource;
      // A paramKind the cluster does not serve fails the policy once, before any binding (a policy configuration error).
      paramResource(cp, world);
    } catch (err) {
      if (err instanceof UnknownNamespaceError) undecided.push({ policy: policy.name, reason: err.message });
      else if (err instanceof SelectorError) configError(`failed to configure policy: ${err.message}`);
      else if (err instanceof ConfigError) configError(err.message);
      else throw err;
      continue;
    }
    for (const binding of bindings) {
      try {
        if (binding.matchResources && !matchResources(binding.matchResources, req, namespace, world.resources).matches) continue;
      } catch (err) {
        if (err instanceof UnknownNamespaceError) undecided.push({ policy: policy.name, binding: binding.name, reason: err.message });
        else if (err instanceof SelectorError) configError(`failed to configure binding: ${err.message}`, binding.name);
        else throw err;
        continue;
      }
      let params: (KubeJson | null)[];
      try {
        params = collectParams(cp, binding, req, world);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        configError(err.message, binding.name);
        continue;
      }
      base ??= {
        object: req.object, oldObject: req.oldObject,
        namespaceObject: namespace ? celOf(namespace, namespaceValue) : null,
      };
      const activation = { ...base, request: requestValue(req, resource) };
      for (const param of params) evaluateInvocation(cp, binding, activation, param, decisions);
    }
  }
  return { decisions, undecided };
}

/** The message the API server answers a denied request with for a decision. */
export function serverMessage(d: AdmissionDecision): string {
  return d.binding
    ? `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${d.message}`
    : `ValidatingAdmissionPolicy '${d.policy}' denied request: ${d.message}`;
}

/** The whole status message of a denied request: `deployments.apps "api" is forbidden: ValidatingAdmissionPolicy …`. */
export function serverDenial(req: AdmissionRequest, d: AdmissionDecision): string {
  const gr = req.resource.group ? `${req.resource.resource}.${req.resource.group}` : req.resource.resource;
  return `${gr} "${req.name}" is forbidden: ${serverMessage(d)}`;
}

/** The warning the API server returns for a decision whose binding warns. */
export function serverWarning(d: AdmissionDecision): string {
  return `Validation failed for ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding ?? ''}': ${d.message}`;
}

/** The HTTP status code of a denial with this reason (reasonToCode). */
export function reasonCode(reason: string): number {
  return reason === 'Forbidden' ? 403 : reason === 'Unauthorized' ? 401 : reason === 'RequestEntityTooLarge' ? 413 : 422;
}
