// Normalisation, diff and sync status as Argo CD computes them.
export { compareApp, compareAppDetailed, isHook, COMPARE_OPTIONS_ANNOTATION } from './compare-app';
export type { CompareAppInput, AppComparison } from './compare-app';
export { diffResource, diffHeader } from './resource-diff';
export type { DiffOptions, ResourceDiff } from './resource-diff';
export { compileIgnoreDifferences, matchingRules, applyIgnoreRules, ignoreDifferencesFromConfigMap, ARGOCD_CM_IGNORE_PREFIX } from './ignore-differences';
export type { IgnoreDifference, IgnoreRule, IgnoreRules, IgnoreSource } from './ignore-differences';
export { compileJqPath } from './jq-path';
export type { JqPath, JqCompileResult } from './jq-path';
export { maskSecret, hideSecretData, SECRET_MASK } from './secret';
export {
  normalizeObject, resourceKey, resourceId, trackingId, apiGroup, isSecret, isClusterScoped, base64Encode,
  LAST_APPLIED_ANNOTATION, TRACKING_ID_ANNOTATION, INSTANCE_LABEL,
} from './normalize';
export { FLOTILLA_FIELD_MANAGER } from './managed-fields';
export { unifiedDiff, diffLines } from './line-diff';
export type { LineEdit, UnifiedDiffOptions } from './line-diff';
export { toDiffYaml } from './render';
export { isMissingDiffOf, MISSING_DIFF_FORMAT } from './missing-diff';
export { parseQuantity, sameQuantity } from './quantity';
export { toJsonPointer, parseJsonPointer } from './json-path';
export type { PathSeg } from './json-path';
