// Admission policies: the target cluster's ValidatingAdmissionPolicies evaluated offline on rendered objects.
export type { AdmissionChecker, AdmissionClusterState, AdmissionOutcome } from './check';
export { admissionChecker, checkAdmission } from './check';
export { clusterRenderedObjects, isAdmissionObject, policyParamKinds } from './cluster-objects';
export type { AdmissionWorld, RequestVerdict } from './evaluate';
export { reasonCode, serverDenial, serverMessage, serverWarning } from './evaluate';
export type { ServedResource } from './resources';
export { builtinResources } from './resources';
export type { AdmissionDecision, AdmissionRequest } from './types';
export { admissionValidator, inlineAdmissionValidator } from './validator';
