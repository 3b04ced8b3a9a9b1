// What a cluster's admission check reads from the repository: every app's rendered objects for that cluster.

import type { ValidationInput } from '../finding';

/**
 * The rendered objects of one target cluster: those of every app deploying there, in app order (a policy, binding,
 * param or Namespace that one app renders applies to all the cluster's apps). `objectsOf` is called only for the
 * cluster's apps, so a caller may render them lazily.
 */
export function clusterRenderedObjects<A>(cluster: string, apps: Iterable<A>, clusterOf: (app: A) => string | undefined, objectsOf: (app: A) => Iterable<ValidationInput>): ValidationInput[] {
  const out: ValidationInput[] = [];
  for (const app of apps) {
    if (clusterOf(app) !== cluster) continue;
    for (const input of objectsOf(app)) out.push(input);
  }
  return out;
}
