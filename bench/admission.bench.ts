// Admission policies offline: 10 ValidatingAdmissionPolicies (with bindings, params, selectors, matchConditions,
// variables, messageExpression) compiled once, then evaluated on 10,000 rendered objects.
import { admissionChecker } from '../shared/validate/admission';
import type { ValidationInput } from '../shared/validate/finding';
import type { BenchResult } from './types';
import { sample, stats } from './types';

const COUNT = 10_000;
const RUNS = 7;

const rule = (group: string, resource: string): Record<string, unknown> => ({ apiGroups: [group], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: [resource] });

function policy(name: string, rules: Record<string, unknown>[], validations: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec: { matchConstraints: { resourceRules: rules }, validations, ...extra } };
}

function binding(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { policyName: name, validationActions: ['Deny'], ...extra } };
}

const deploy = rule('apps', 'deployments');
const POLICIES: Record<string, unknown>[] = [
  policy('team-label', [deploy], [{ expression: "has(object.metadata.labels) && 'team' in object.metadata.labels", message: 'team label required' }]),
  policy('max-replicas', [deploy], [{ expression: 'object.spec.replicas <= variables.limit', messageExpression: "'replicas ' + string(object.spec.replicas) + ' > ' + string(variables.limit)" }], {
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, variables: [{ name: 'limit', expression: 'int(params.data.maxReplicas)' }],
  }),
  policy('pinned-images', [deploy], [{ expression: "object.spec.template.spec.containers.all(c, c.image.contains(':') && !c.image.endsWith(':latest'))" }], {
    matchConditions: [{ name: 'not-exempt', expression: "!has(object.metadata.annotations) || !('exempt' in object.metadata.annotations)" }],
  }),
  policy('memory-limit', [deploy], [{ expression: "object.spec.template.spec.containers.all(c, !has(c.resources.limits) || !('memory' in c.resources.limits) || quantity(c.resources.limits.memory).compareTo(quantity('1Gi')) <= 0)" }]),
  policy('non-root', [deploy], [{ expression: 'object.spec.template.spec.containers.all(c, has(c.securityContext) && has(c.securityContext.runAsNonRoot) && c.securityContext.runAsNonRoot)', message: 'containers must run as non-root' }]),
  policy('cm-keys', [rule('', 'configmaps')], [{ expression: 'size(object.data) <= 20' }], { failurePolicy: 'Ignore' }),
  policy('cm-endpoint', [rule('', 'configmaps')], [{ expression: "!has(object.data) || !('endpoint' in object.data) || url(object.data.endpoint).getScheme() == 'https'" }]),
  policy('svc-type', [rule('', 'services')], [{ expression: "object.spec.type != 'LoadBalancer'" }, { expression: "object.spec.ports.all(p, p.protocol == 'TCP')" }]),
  policy('name-pattern', [deploy, rule('', 'services'), rule('', 'configmaps')], [{ expression: "object.metadata.name.matches('^[a-z][a-z0-9-]*$')" }]),
  policy('prod-owner', [deploy], [{ expression: "has(object.metadata.annotations) && object.metadata.annotations.owner.startsWith('team-')" }], {
    matchConditions: [{ name: 'prod-only', expression: "namespaceObject.metadata.labels.env == 'prod'" }],
  }),
];

function clusterObjects(): ValidationInput[] {
  const out: Record<string, unknown>[] = [];
  for (const p of POLICIES) {
    const name = String((p['metadata'] as { name: string }).name);
    out.push(p, binding(name, name === 'max-replicas' ? { paramRef: { name: 'limits', namespace: 'policy', parameterNotFoundAction: 'Deny' } } : {}));
  }
  out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'limits', namespace: 'policy' }, data: { maxReplicas: '5' } });
  for (let i = 0; i < 40; i++) out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${i}`, labels: { env: i % 3 === 0 ? 'prod' : 'dev' } } });
  return out.map((object) => ({ object }));
}

/** A rendered object of a typical app, varied by `i` so that some pass and some fail every policy. */
function synthesize(i: number): ValidationInput {
  const namespace = `team-${i % 40}`;
  const name = `app-${i}`;
  const labels = i % 5 ? { app: name, team: 't' } : { app: name };
  switch (i % 3) {
    case 0: return { object: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace, labels, ...(i % 7 ? { annotations: { owner: 'team-a' } } : {}) },
      spec: { replicas: i % 8, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [
        { name: 'main', image: i % 11 ? `registry.example.com/app:${i}` : 'nginx:latest', securityContext: { runAsNonRoot: i % 4 !== 0 }, resources: { limits: { cpu: '500m', memory: i % 9 ? '512Mi' : '2Gi' } }, ports: [{ containerPort: 8080 }] },
        { name: 'sidecar', image: 'envoy:1.30', securityContext: { runAsNonRoot: true } },
      ] } } },
    } };
    case 1: return { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data: { endpoint: i % 13 ? 'https://api.example.com' : 'http://api', a: '1', b: '2' } } };
    default: return { object: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec: { type: i % 17 ? 'ClusterIP' : 'LoadBalancer', selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } } };
  }
}

/** Compiles the policies, then evaluates every object; reports the median over RUNS runs. */
export async function run(): Promise<BenchResult[]> {
  const cluster = clusterObjects();
  const objects = Array.from({ length: COUNT }, (_, i) => synthesize(i));
  let findings = 0;
  const compile = await sample(RUNS, () => admissionChecker({ cluster: 'prod', renderedObjects: cluster }));
  const checker = admissionChecker({ cluster: 'prod', renderedObjects: cluster });
  if (checker.problems.length) throw new Error(`bench policies have problems: ${checker.problems.map((p) => p.message).join('; ')}`);
  const evaluate = await sample(RUNS, () => {
    findings = 0;
    for (const o of objects) findings += checker.findings(o).length;
  });
  return [
    { name: `admission: compile ${POLICIES.length} policies + bindings`, ...stats(compile) },
    { name: `admission: ${POLICIES.length} policies × ${COUNT.toLocaleString('en')} objects (findings included)`, ...stats(evaluate), extra: { findings, per_object_us: ((stats(evaluate).median_ms * 1000) / COUNT).toFixed(1) } },
  ];
}
