export { assessHealth, builtinHealth, bundledHealth, hasHealthRule, worstHealth } from './assess';
export { HealthRegistry } from './registry';
export { standardConditionsHealth } from './standard-conditions';
export type { CustomHealthChecks, HealthCheck, HealthCustomizations } from './types';
