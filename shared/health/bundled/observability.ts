import type { HealthCheck } from '../types';
import { conditions, get, health, str } from '../fields';
import { check } from './helpers';

/** Knative operator installs: every condition listed; Ready True is Healthy, False/Unknown Progressing, anything else Degraded. */
function knativeInstall(kind: string): HealthCheck {
  return check('operator.knative.dev', kind, (obj) => {
    const list = conditions(obj);
    if (get(obj, 'status', 'conditions') === undefined) return health('Progressing', `Waiting for ${kind}`);
    const message = list.map((c, i) => `${i + 1}: ${c.type} | ${c.status}\n`).join('');
    const ready = list.find((c) => c.type === 'Ready');
    if (ready?.status === 'True') return health('Healthy', `${kind} is healthy.`);
    if (ready === undefined || ready.status === 'False' || ready.status === 'Unknown') return health('Progressing', message);
    return health('Degraded', message);
  });
}

/** Operators for tracing, identity and policy: Jaeger, Kiali, Keycloak, Kyverno; plus Knative operator installs. */
export const OBSERVABILITY_CHECKS: readonly HealthCheck[] = [
  knativeInstall('KnativeEventing'),
  knativeInstall('KnativeServing'),
  check('jaegertracing.io', 'Jaeger', (obj) => {
    const phase = str(obj, 'status', 'phase');
    if (phase === 'Running') return health('Healthy', 'Jaeger is Running');
    if (phase === 'Failed') return health('Degraded', 'Jaeger Failed For Some Reason');
    return health('Progressing', 'Waiting for Jaeger');
  }),
  check('kiali.io', 'Kiali', (obj) => {
    const list = conditions(obj);
    const failure = list.find((c) => c.type === 'Failure' && c.status === 'True');
    if (failure) return health('Degraded', failure.message);
    const success = list.find((c) => c.type === 'Successful' && c.status === 'True');
    if (success) return health('Healthy', success.message);
    const running = list.find((c) => c.type === 'Running' && c.status === 'True');
    if (running) return health('Progressing', running.message);
    return health('Progressing', 'Waiting for Kiali');
  }),
  check('k8s.keycloak.org', 'Keycloak', (obj) => {
    const list = conditions(obj);
    if (list.length === 0) return health('Progressing', 'Waiting for Keycloak status conditions to exist');
    const errors = list.find((c) => c.type === 'HasErrors' && c.status === 'True');
    if (errors) return health('Degraded', `Has Errors: ${errors.message}`);
    const ready = list.find((c) => c.type === 'Ready');
    return health(ready?.status === 'True' ? 'Healthy' : 'Progressing', '');
  }),
  check('kyverno.io', 'Policy', (obj) => {
    const ready = conditions(obj).find((c) => c.type === 'Ready');
    if (ready?.status === 'True') return health('Healthy', 'Policy is ready');
    if (ready?.status === 'False') return health('Degraded', ready.message || 'Policy is not ready');
    return health('Progressing', 'Waiting for Policy to be ready');
  }),
];
