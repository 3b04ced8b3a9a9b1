import type { HealthCheck } from '../types';

/** Ports of Argo CD's bundled `resource_customizations` health checks. */
export const BUNDLED_CHECKS: readonly HealthCheck[] = [
];
