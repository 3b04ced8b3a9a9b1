// Resource health as Argo CD computes it: gitops-engine's built-in checks, ports of Argo CD's bundled
// resource_customizations checks, custom (Lua) checks injected from the Node side, and app-level aggregation.
export { assessHealth, builtinHealth, bundledHealth, hasHealthRule, worstHealth } from './assess';
export { HealthRegistry } from './registry';
export { standardConditionsHealth } from './standard-conditions';
export { ARGOCD_CM_HEALTH_PREFIX, healthCustomizationsFromConfigMap, parseHealthSpec } from './customizations';
export type { ParsedCustomizations } from './customizations';
export type { AggregatedHealthResult, CustomHealthChecks, HealthCheck, HealthCustomizations } from './types';
