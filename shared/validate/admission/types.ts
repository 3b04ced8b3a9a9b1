// The shapes of admission-policy checking: ValidatingAdmissionPolicy and its binding as read from objects, the request
// the API server would build for an object, and the decisions a policy reaches on it.

import type { SourceLocation } from '../finding';

/** A plain JSON object (a rendered manifest, a live object). */
export type KubeJson = Readonly<Record<string, unknown>>;

/** One `rules` entry of matchConstraints / matchResources (NamedRuleWithOperations). */
export interface ResourceRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly string[];
  readonly resourceNames: readonly string[];
  /** `*` (default), `Cluster` or `Namespaced`. */
  readonly scope: string;
}

/** matchConstraints of a policy or matchResources of a binding. */
export interface MatchResources {
  /** Selectors as written (undefined: match everything). */
  readonly namespaceSelector?: unknown;
  readonly objectSelector?: unknown;
  readonly resourceRules: readonly ResourceRule[];
  readonly excludeResourceRules: readonly ResourceRule[];
  /** `Equivalent` (default) or `Exact`. */
  readonly matchPolicy: 'Equivalent' | 'Exact';
}

/** A named CEL expression (matchConditions, variables). */
export interface NamedExpression {
  readonly name: string;
  readonly expression: string;
}

/** One `validations` entry. */
export interface Validation {
  readonly expression: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?: string;
}

/** One `auditAnnotations` entry. */
export interface AuditAnnotation {
  readonly key: string;
  readonly valueExpression: string;
}

/** A ValidatingAdmissionPolicy, read and checked for shape. */
export interface AdmissionPolicy {
  readonly name: string;
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly paramKind?: { readonly apiVersion: string; readonly kind: string };
  readonly matchConstraints?: MatchResources;
  readonly matchConditions: readonly NamedExpression[];
  readonly variables: readonly NamedExpression[];
  readonly validations: readonly Validation[];
  readonly auditAnnotations: readonly AuditAnnotation[];
  readonly source?: SourceLocation;
  /** Where a field of the policy is written, when known field by field. */
  readonly locate?: (path: readonly (string | number)[]) => SourceLocation | undefined;
}

/** paramRef of a binding. */
export interface ParamRef {
  readonly name?: string;
  readonly namespace?: string;
  readonly selector?: unknown;
  /** `Allow` or `Deny` when no param is found. */
  readonly parameterNotFoundAction: 'Allow' | 'Deny';
}

/** What a binding does with a failed validation. */
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';

/** A ValidatingAdmissionPolicyBinding, read and checked for shape. */
export interface AdmissionBinding {
  readonly name: string;
  readonly policyName: string;
  readonly paramRef?: ParamRef;
  readonly matchResources?: MatchResources;
  readonly validationActions: readonly ValidationAction[];
  readonly source?: SourceLocation;
  /** Where a field of the binding is written, when known field by field. */
  readonly locate?: (path: readonly (string | number)[]) => SourceLocation | undefined;
}

/** The group, version and kind of an object; the group, version and plural resource it is served as. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** The plural resource of a kind, as discovery names it. */
export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/** The admission request the API server would build for writing one object. */
export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE';
  readonly kind: GroupVersionKind;
  readonly resource: GroupVersionResource;
  readonly name: string;
  /** The object's namespace; for a Namespace object its own name (as the API server sets it); '' for cluster scope. */
  readonly namespace: string;
  readonly namespaced: boolean;
  /** The object as CEL sees it: whole numbers as BigInt, the API server's defaults applied (see withServerDefaults). */
  readonly object: KubeJson;
  /** The object now on the cluster, as CEL sees it (null: CREATE). */
  readonly oldObject: KubeJson | null;
  readonly userInfo: { readonly username: string; readonly groups: readonly string[] };
}

/** How a policy judged one request through one binding (and one param). */
export interface AdmissionDecision {
  readonly policy: string;
  readonly binding?: string;
  /** `deny`: a validation was false; `error`: an expression failed or the binding could not be configured. */
  readonly evaluation: 'deny' | 'error';
  /** The binding's actions for it (config errors of a policy deny outright). */
  readonly actions: readonly ValidationAction[];
  /** The message the API server gives: the validation's message, messageExpression or `failed expression: …`. */
  readonly message: string;
  /** The status reason (`Invalid` unless the validation sets one). */
  readonly reason: string;
  /** Index of the failed validation, when one failed. */
  readonly validationIndex?: number;
}
