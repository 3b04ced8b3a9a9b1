export { assessHealth, builtinHealth, bundledHealth, hasHealthRule, worstHealth } from './assess';
export { HealthRegistry } from './registry';
export { standardConditionsHealth } from './standard-conditions';
export { ARGOCD_CM_HEALTH_PREFIX, healthCustomizationsFromConfigMap, parseHealthSpec } from './customizations';
export type { ParsedCustomizations } from './customizations';
export type { CustomHealthChecks, HealthCheck, HealthCustomizations } from './types';
