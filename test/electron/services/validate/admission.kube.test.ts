// The offline admission check against the real API server: the same ValidatingAdmissionPolicies and bindings are
// created on a test cluster, then every object of a corpus is sent with server-side dry run (`?dryRun=All`). For
// each object the offline verdict (admitted or denied, the message and status code, the warnings) must be the
// server's, both with the policies read from the "repository" (our YAML) and read live from the cluster.
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseYamlDocuments } from '../../../../shared/yaml/documents';
import type { ValidationInput } from '../../../../shared/validate/finding';
import type { AdmissionChecker, AdmissionDecision } from '../../../../shared/validate/admission';
import { admissionChecker, reasonCode, serverDenial, serverWarning } from '../../../../shared/validate/admission';
import { clusterAdmissionChecker } from '../../../../electron/services/validate/admission-live';
import { yamlInputs } from '../../../helpers/admission-policies';
import type { LocalFleetState } from '../../../helpers/kube-fleet';
import { fleetAdmin, kubeRequest, useKubeFleet } from '../../../helpers/kube-fleet';

const CLUSTER = 'staging';
const T = randomBytes(3).toString('hex');
const PROD = `adm-prod-${T}`;
const DEV = `adm-dev-${T}`;
const PARAMS = `adm-params-${T}`;
// Every policy selects only this test's namespaces: the fleet is shared with other tests.
const MINE = `flotilla-admission-test: "${T}"`;

const namespaces = [
  { name: PROD, labels: { 'flotilla-admission-test': T, env: 'prod' } },
  { name: DEV, labels: { 'flotilla-admission-test': T, env: 'dev' } },
  { name: PARAMS, labels: { 'flotilla-admission-test': T, env: 'params' } },
];

const rule = (group: string, resource: string): string => `    - {apiGroups: ["${group}"], apiVersions: ["v1"], operations: [CREATE, UPDATE], resources: [${resource}], scope: Namespaced}`;

const POLICIES = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: team-label-${T}}
spec:
  failurePolicy: Fail
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    resourceRules:
${rule('apps', 'deployments')}
  validations:
  - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
    message: every Deployment needs a team label
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: team-label-${T}}
spec: {policyName: team-label-${T}, validationActions: [Deny]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: max-replicas-${T}}
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    resourceRules:
${rule('apps', 'deployments')}
  variables:
  - {name: limit, expression: "int(params.data.maxReplicas)"}
  validations:
  - expression: object.spec.replicas <= variables.limit
    messageExpression: "'replicas ' + string(object.spec.replicas) + ' exceeds the limit of ' + string(variables.limit)"
    reason: Forbidden
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: max-replicas-prod-${T}}
spec:
  policyName: max-replicas-${T}
  validationActions: [Deny]
  paramRef: {name: limits, namespace: ${PARAMS}, parameterNotFoundAction: Deny}
  matchResources:
    namespaceSelector: {matchLabels: {env: prod}}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: max-replicas-missing-${T}}
spec:
  policyName: max-replicas-${T}
  validationActions: [Deny]
  paramRef: {name: absent, namespace: ${PARAMS}, parameterNotFoundAction: Deny}
  matchResources:
    objectSelector: {matchLabels: {params: missing}}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: pinned-images-${T}}
spec:
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    resourceRules:
${rule('apps', 'deployments')}
  matchConditions:
  - name: not-exempt
    expression: "!has(object.metadata.annotations) || !('policy.flotilla.dev/exempt' in object.metadata.annotations)"
  validations:
  - expression: "object.spec.template.spec.containers.all(c, c.image.contains(':') && !c.image.endsWith(':latest'))"
    message: container images must be pinned
    messageExpression: "'unpinned images: ' + object.spec.template.spec.containers.filter(c, !c.image.contains(':') || c.image.endsWith(':latest')).map(c, c.image).join(', ')"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: pinned-images-${T}}
spec: {policyName: pinned-images-${T}, validationActions: [Warn]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: memory-limit-${T}}
spec:
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    resourceRules:
${rule('apps', 'deployments')}
  validations:
  - expression: "object.spec.template.spec.containers.all(c, !has(c.resources.limits) || !('memory' in c.resources.limits) || quantity(c.resources.limits.memory).compareTo(quantity('1Gi')) <= 0)"
    message: memory limits above 1Gi need an exception
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: memory-limit-${T}}
spec: {policyName: memory-limit-${T}, validationActions: [Deny]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: cm-max-keys-${T}}
spec:
  failurePolicy: Ignore
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    objectSelector: {matchExpressions: [{key: role, operator: NotIn, values: [limits]}]}
    resourceRules:
${rule('', 'configmaps')}
  validations:
  - expression: size(object.data) <= int(params.data.maxKeys)
    messageExpression: "'too many keys: ' + string(size(object.data)) + ' > ' + params.data.maxKeys"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: cm-max-keys-${T}}
spec:
  policyName: cm-max-keys-${T}
  validationActions: [Deny]
  paramRef: {selector: {matchLabels: {role: limits}}, parameterNotFoundAction: Allow}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: owner-${T}}
spec:
  failurePolicy: Fail
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    objectSelector: {matchLabels: {needs-owner: "true"}}
    resourceRules:
${rule('', 'configmaps')}
  validations:
  - expression: object.metadata.annotations.owner.startsWith('team-')
    message: the owner must be a team
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: owner-${T}}
spec: {policyName: owner-${T}, validationActions: [Deny]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: endpoint-url-${T}}
spec:
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    resourceRules:
${rule('', 'configmaps')}
  validations:
  - expression: "!has(object.data) || !('endpoint' in object.data) || (isURL(object.data.endpoint) && url(object.data.endpoint).getScheme() == 'https')"
    messageExpression: "'endpoint must be an https URL: ' + object.data.endpoint"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: endpoint-url-${T}}
spec: {policyName: endpoint-url-${T}, validationActions: [Deny, Audit]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: service-rules-${T}}
spec:
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    resourceRules:
${rule('', 'services')}
  validations:
  - expression: object.spec.type != 'LoadBalancer'
    message: LoadBalancer Services are not allowed here
    reason: Forbidden
  - expression: object.spec.ports.all(p, p.protocol == 'TCP' && p.port >= 1024)
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: service-rules-${T}}
spec:
  policyName: service-rules-${T}
  validationActions: [Deny]
  matchResources:
    namespaceSelector: {matchExpressions: [{key: env, operator: In, values: [prod]}]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: immutable-team-${T}}
spec:
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [UPDATE], resources: [deployments], scope: Namespaced}
  validations:
  - expression: oldObject.metadata.labels.team == object.metadata.labels.team
    messageExpression: "'the team label is immutable (was ' + oldObject.metadata.labels.team + ')'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: immutable-team-${T}}
spec: {policyName: immutable-team-${T}, validationActions: [Deny]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: gold-tier-${T}}
spec:
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    objectSelector: {matchLabels: {check: variable}}
    resourceRules:
${rule('', 'configmaps')}
  variables:
  - {name: tier, expression: object.metadata.labels.tier}
  validations:
  - expression: variables.tier == 'gold'
    message: the tier must be gold
    messageExpression: "'tier %s is not gold (%d labels, %.1f%%)'.format([variables.tier, size(object.metadata.labels), 12.5])"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: gold-tier-${T}}
spec: {policyName: gold-tier-${T}, validationActions: [Deny]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: conditional-${T}}
spec:
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    objectSelector: {matchLabels: {check: condition}}
    resourceRules:
${rule('', 'configmaps')}
  matchConditions:
  - {name: x-is-y, expression: "object.data.x == 'y'"}
  validations:
  - expression: "false"
    message: x may not be y
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: conditional-${T}}
spec: {policyName: conditional-${T}, validationActions: [Deny]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: approval-${T}}
spec:
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    objectSelector: {matchLabels: {check: namespace}}
    resourceRules:
${rule('', 'configmaps')}
  validations:
  - expression: "namespaceObject.metadata.labels.env == 'dev' || (has(object.data) && 'approved' in object.data)"
    messageExpression: "request.operation + ' of ' + request.kind.kind + ' ' + request.namespace + '/' + request.name + ' (' + request.resource.group + '/' + request.resource.version + '/' + request.resource.resource + '): approval needed in ' + namespaceObject.metadata.name"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: approval-${T}}
spec: {policyName: approval-${T}, validationActions: [Deny]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: unknown-params-${T}}
spec:
  paramKind: {apiVersion: example.com/v1, kind: Limits}
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    objectSelector: {matchLabels: {check: paramkind}}
    resourceRules:
${rule('', 'configmaps')}
  validations:
  - expression: "true"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: unknown-params-${T}}
spec:
  policyName: unknown-params-${T}
  validationActions: [Deny]
  paramRef: {name: limits, parameterNotFoundAction: Allow}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: defaults-${T}}
spec:
  matchConstraints:
    namespaceSelector: {matchLabels: {${MINE}}}
    objectSelector: {matchLabels: {check: defaults}}
    resourceRules:
${rule('apps', 'deployments')}
${rule('', 'services')}
  validations:
  - expression: >-
      request.kind.kind != 'Deployment' || (object.spec.replicas == 1 && object.spec.revisionHistoryLimit == 10 &&
      object.spec.progressDeadlineSeconds == 600 && object.spec.strategy.type == 'RollingUpdate' &&
      object.spec.strategy.rollingUpdate.maxSurge == '25%' && object.spec.strategy.rollingUpdate.maxUnavailable == '25%' &&
      object.spec.template.spec.restartPolicy == 'Always' && object.spec.template.spec.dnsPolicy == 'ClusterFirst' &&
      object.spec.template.spec.schedulerName == 'default-scheduler' && object.spec.template.spec.terminationGracePeriodSeconds == 30 &&
      size(object.spec.template.spec.securityContext) == 0 &&
      object.spec.template.spec.containers.all(c, c.imagePullPolicy == 'IfNotPresent' && c.terminationMessagePolicy == 'File' &&
        c.terminationMessagePath == '/dev/termination-log' && size(c.resources) == 0 && c.ports.all(p, p.protocol == 'TCP')))
    message: the Deployment's defaults differ
  - expression: >-
      request.kind.kind != 'Service' || (object.spec.type == 'ClusterIP' && object.spec.sessionAffinity == 'None' &&
      object.spec.internalTrafficPolicy == 'Cluster' && object.spec.ports.all(p, p.protocol == 'TCP' && p.targetPort == p.port))
    message: the Service's defaults differ
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: defaults-${T}}
spec: {policyName: defaults-${T}, validationActions: [Deny]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: namespace-names-${T}}
spec:
  matchConstraints:
    namespaceSelector: {matchLabels: {env: prod}}
    objectSelector: {matchLabels: {flotilla-admission-ns: "${T}"}}
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [namespaces], scope: Cluster}
  validations:
  - expression: object.metadata.name.startsWith('adm-')
    message: prod namespace names start with adm-
  - expression: namespaceObject == null && request.namespace == object.metadata.name
    message: a Namespace has no namespaceObject and is its own request namespace
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: namespace-names-${T}}
spec: {policyName: namespace-names-${T}, validationActions: [Deny]}
`;

const PARAM_OBJECTS = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'limits', namespace: PARAMS }, data: { maxReplicas: '3' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-limits', namespace: PROD, labels: { role: 'limits' } }, data: { maxKeys: '2' } },
];

interface Case { readonly name: string; readonly object: Record<string, unknown> }

function deployment(ns: string, name: string, o: { team?: boolean; replicas?: number; image?: string; memory?: string; labels?: Record<string, string>; annotations?: Record<string, string> } = {}): Case {
  const labels = { app: name, ...(o.team === false ? {} : { team: 'shop' }), ...o.labels };
  return {
    name: `${ns === PROD ? 'prod' : 'dev'}/deployment/${name}`,
    object: {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name, namespace: ns, labels, ...(o.annotations ? { annotations: o.annotations } : {}) },
      spec: {
        ...(o.replicas !== undefined ? { replicas: o.replicas } : {}),
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'main', image: o.image ?? 'nginx:1.27', ...(o.memory ? { resources: { limits: { memory: o.memory } } } : {}) }] },
        },
      },
    },
  };
}

/** The deployment with a container port (its protocol is defaulted). */
function withPorts(c: Case): Case {
  const spec = (c.object['spec'] as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec;
  spec.containers = spec.containers.map((x) => ({ ...x, ports: [{ containerPort: 8080 }] }));
  return c;
}

function configMap(ns: string, name: string, data: Record<string, string> | undefined, meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}): Case {
  return { name: `${ns === PROD ? 'prod' : 'dev'}/configmap/${name}`, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, ...meta }, ...(data ? { data } : {}) } };
}

function namespace(name: string, env: string): Case {
  return { name: `namespace/${name}`, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'flotilla-admission-ns': T, env } } } };
}

function service(ns: string, name: string, spec: Record<string, unknown>): Case {
  return { name: `${ns === PROD ? 'prod' : 'dev'}/service/${name}`, object: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec } };
}

const CORPUS: readonly Case[] = [
  deployment(PROD, 'ok', { replicas: 2 }),
  deployment(PROD, 'no-team', { team: false }),
  deployment(PROD, 'too-many', { replicas: 5 }),
  deployment(PROD, 'latest', { image: 'nginx:latest' }),
  deployment(PROD, 'exempt', { image: 'nginx', annotations: { 'policy.flotilla.dev/exempt': 'yes' } }),
  deployment(PROD, 'big-memory', { memory: '2Gi' }),
  deployment(PROD, 'small-memory', { memory: '512Mi', replicas: 3 }),
  deployment(PROD, 'defaulted-replicas'),
  deployment(PROD, 'two-denials', { team: false, replicas: 9 }),
  deployment(DEV, 'many-in-dev', { replicas: 9 }),
  deployment(DEV, 'missing-params', { labels: { params: 'missing' } }),
  deployment(DEV, 'no-team-latest', { team: false, image: 'busybox' }),
  configMap(PROD, 'two-keys', { a: '1', b: '2' }),
  configMap(PROD, 'three-keys', { a: '1', b: '2', c: '3' }),
  configMap(PROD, 'no-data', undefined),
  configMap(PROD, 'no-owner', { a: '1' }, { labels: { 'needs-owner': 'true' } }),
  configMap(PROD, 'team-owner', { a: '1' }, { labels: { 'needs-owner': 'true' }, annotations: { owner: 'team-a' } }),
  configMap(PROD, 'person-owner', { a: '1' }, { labels: { 'needs-owner': 'true' }, annotations: { owner: 'bob' } }),
  configMap(PROD, 'http-endpoint', { endpoint: 'http://example.com' }),
  configMap(PROD, 'https-endpoint', { endpoint: 'https://example.com:8443/v1?x=1' }),
  configMap(PROD, 'not-a-url', { endpoint: 'example dot com' }),
  configMap(DEV, 'five-keys', { a: '1', b: '2', c: '3', d: '4', e: '5' }),
  configMap(DEV, 'variable-error', { a: '1' }, { labels: { check: 'variable' } }),
  configMap(DEV, 'variable-gold', { a: '1' }, { labels: { check: 'variable', tier: 'gold' } }),
  configMap(DEV, 'variable-silver', { a: '1' }, { labels: { check: 'variable', tier: 'silver' } }),
  configMap(DEV, 'condition-error', { a: '1' }, { labels: { check: 'condition' } }),
  configMap(DEV, 'condition-false', { x: 'z' }, { labels: { check: 'condition' } }),
  configMap(DEV, 'condition-true', { x: 'y' }, { labels: { check: 'condition' } }),
  configMap(DEV, 'approval-dev', { a: '1' }, { labels: { check: 'namespace' } }),
  configMap(PROD, 'approval-missing', { a: '1' }, { labels: { check: 'namespace' } }),
  configMap(PROD, 'approval-given', { approved: 'yes' }, { labels: { check: 'namespace' } }),
  configMap(DEV, 'unknown-param-kind', { a: '1' }, { labels: { check: 'paramkind' } }),
  withPorts(deployment(DEV, 'defaulted', { labels: { check: 'defaults' } })),
  { name: 'dev/service/defaulted', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'defaulted', namespace: DEV, labels: { check: 'defaults' } }, spec: { ports: [{ port: 8080 }] } } },
  namespace(`bad-${T}`, 'prod'),
  namespace(`adm-ok-${T}`, 'prod'),
  namespace(`bad-dev-${T}`, 'dev'),
  service(PROD, 'lb', { type: 'LoadBalancer', ports: [{ port: 8080 }] }),
  service(PROD, 'low-port', { ports: [{ port: 80 }] }),
  service(PROD, 'high-port', { ports: [{ port: 8080, targetPort: 80 }] }),
  service(PROD, 'udp', { ports: [{ port: 5353, protocol: 'UDP' }] }),
  service(DEV, 'lb-dev', { type: 'LoadBalancer', ports: [{ port: 80 }] }),
];

/** The collection path of an object (these tests use only kinds whose plural is `kind + s`, and Namespaces). */
function objectPath(object: Record<string, unknown>): string {
  if (object['kind'] === 'Namespace') return '/api/v1/namespaces';
  const apiVersion = String(object['apiVersion']);
  const ns = (object['metadata'] as { namespace: string }).namespace;
  return `${apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`}/namespaces/${ns}/${String(object['kind']).toLowerCase()}s`;
}

interface ServerAnswer { readonly status: number; readonly message: string; readonly warnings: readonly string[] }

/** POST (or PUT) with `?dryRun=All`, keeping every `Warning` header (one per warning, Go-quoted). */
function dryRunCreate(state: LocalFleetState, object: Record<string, unknown>, method: 'POST' | 'PUT' = 'POST'): Promise<ServerAnswer> {
  const c = state.clusters.find((x) => x.name === CLUSTER)!;
  const meta = object['metadata'] as { namespace: string; name: string };
  const path = `${objectPath(object)}${method === 'PUT' ? `/${meta.name}` : ''}?dryRun=All`;
  const data = JSON.stringify(object);
  return new Promise((resolve, reject) => {
    const req = https.request(`${c.server}${path}`, {
      method, rejectUnauthorized: false,
      headers: { Authorization: `Bearer ${state.adminToken}`, Accept: 'application/json', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        const warnings: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i]!.toLowerCase() !== 'warning') continue;
          const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(res.rawHeaders[i + 1]!);
          if (m) warnings.push(m[1]!.replace(/\\(.)/g, '$1'));
        }
        const body = text ? (JSON.parse(text) as { message?: string }) : {};
        const ok = res.statusCode === 201 || res.statusCode === 200;
        resolve({ status: res.statusCode ?? 0, message: ok ? '' : String(body.message ?? ''), warnings: warnings.sort() });
      });
    });
    req.on('error', reject);
    req.write(data);
    req.end();
  });
}

/** What the offline check says the server will answer: admitted or the denial's message and code, and the warnings. */
function offline(checker: AdmissionChecker, object: Record<string, unknown>): { admitted: boolean; denials: Map<string, number>; warnings: string[] } {
  const { verdict, request } = checker.evaluate({ object });
  expect(request).toBeDefined();
  const denials = new Map<string, number>();
  for (const d of verdict.decisions.filter((x: AdmissionDecision) => x.actions.includes('Deny'))) denials.set(serverDenial(request!, d), reasonCode(d.reason));
  expect(verdict.undecided).toEqual([]);
  const warnings = verdict.decisions.filter((d) => d.actions.includes('Warn')).map(serverWarning).sort();
  return { admitted: denials.size === 0, denials, warnings };
}

function repositoryInputs(): ValidationInput[] {
  const docs = yamlInputs(POLICIES, `clusters/${CLUSTER}/policies.yaml`);
  const nsObjects = namespaces.map((n) => ({ object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.name, labels: n.labels } } }));
  return [...docs, ...nsObjects, ...PARAM_OBJECTS.map((object) => ({ object }))];
}

let fleet: LocalFleetState;
const created: string[] = [];

async function create(path: string, body: unknown): Promise<void> {
  const res = await kubeRequest(fleet, CLUSTER, 'POST', path, body);
  if (res.status !== 201) throw new Error(`creating ${path}: ${res.status} ${JSON.stringify(res.body)}`);
}

beforeAll(async () => {
  fleet = await useKubeFleet();
  for (const n of namespaces) await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.name, labels: n.labels } });
  for (const p of PARAM_OBJECTS) await create(`/api/v1/namespaces/${p.metadata.namespace}/configmaps`, p);
  for (const d of parseYamlDocuments(POLICIES, 'policies.yaml').docs) {
    const o = d.value as { kind: string; metadata: { name: string } };
    const plural = o.kind === 'ValidatingAdmissionPolicy' ? 'validatingadmissionpolicies' : 'validatingadmissionpolicybindings';
    await create(`/apis/admissionregistration.k8s.io/v1/${plural}`, o);
    created.push(`/apis/admissionregistration.k8s.io/v1/${plural}/${o.metadata.name}`);
  }
  // The API server compiles policies and starts param informers in the background (about a second): wait until a
  // probe object is judged by each policy with params and by the last one created.
  const probes: [string, Record<string, unknown>][] = [
    [`team-label-${T}`, deployment(PROD, 'probe-a', { team: false }).object],
    [`max-replicas-${T}`, deployment(PROD, 'probe-b', { replicas: 50 }).object],
    [`pinned-images-${T}`, deployment(PROD, 'probe-c', { image: 'x:latest' }).object],
    [`cm-max-keys-${T}`, configMap(PROD, 'probe-d', { a: '', b: '', c: '' }).object],
    [`service-rules-${T}`, service(PROD, 'probe-e', { type: 'LoadBalancer', ports: [{ port: 8080 }] }).object],
    // The last policy created: the API server's policy cache follows the order of its watch, so the others are in.
    [`namespace-names-${T}`, namespace(`probe-${T}`, 'prod').object],
  ];
  const deadline = Date.now() + 60_000;
  for (const [policy, object] of probes) {
    for (;;) {
      const a = await dryRunCreate(fleet, object);
      if (a.message.includes(`'${policy}'`) || a.warnings.some((w) => w.includes(`'${policy}'`))) break;
      if (Date.now() > deadline) throw new Error(`policy ${policy} never took effect on ${CLUSTER}: last answer ${JSON.stringify(a)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}, 120_000);

afterAll(async () => {
  for (const path of created.reverse()) await kubeRequest(fleet, CLUSTER, 'DELETE', path);
});

describe('admission policies offline agree with the real API server (server-side dry run)', () => {
  async function agree(checker: AdmissionChecker, corpus: readonly Case[] = CORPUS, method: 'POST' | 'PUT' = 'POST'): Promise<{ denied: number; admitted: number; warned: number }> {
    const counts = { denied: 0, admitted: 0, warned: 0 };
    for (const c of corpus) {
      const server = await dryRunCreate(fleet, c.object, method);
      const mine = offline(checker, c.object);
      const serverSide = { admitted: server.status === 201 || server.status === 200, warnings: server.warnings };
      expect({ case: c.name, admitted: mine.admitted, warnings: mine.warnings }).toEqual({ case: c.name, ...serverSide });
      if (!mine.admitted) {
        // When several policies deny, the API server reports the first of its (unordered) policies: it must be one of ours.
        expect({ case: c.name, oneOf: [...mine.denials.keys()].includes(server.message) ? server.message : [...mine.denials.keys()] }).toEqual({ case: c.name, oneOf: server.message });
        expect({ case: c.name, status: mine.denials.get(server.message) }).toEqual({ case: c.name, status: server.status });
        counts.denied++;
      } else {
        counts.admitted++;
      }
      if (mine.warnings.length > 0) counts.warned++;
    }
    return counts;
  }

  it('with the policies read from the repository', async () => {
    const checker = admissionChecker({ cluster: CLUSTER, renderedObjects: repositoryInputs() });
    expect(checker.problems.map((p) => p.message)).toEqual([
      `ValidatingAdmissionPolicyBinding max-replicas-missing-${T}: its param ConfigMap ${PARAMS}/absent is neither rendered nor on the cluster (parameterNotFoundAction: Deny)`,
    ]);
    const counts = await agree(checker);
    // The corpus exercises both outcomes and warnings (a corpus everyone admits would prove nothing).
    expect(counts).toEqual({ denied: 21, admitted: 21, warned: 2 });
  });

  it('with the policies, params, namespaces and discovery read live from the cluster', async () => {
    const admin = fleetAdmin(fleet, { only: [CLUSTER] });
    try {
      const checker = await clusterAdmissionChecker(CLUSTER, [], admin.connection(CLUSTER));
      // The cluster's other tests' policies may be there too: ours are exactly the one dangling param.
      expect(checker.problems.filter((p) => p.message.includes(T)).map((p) => p.message)).toEqual([
        `ValidatingAdmissionPolicyBinding max-replicas-missing-${T}: its param ConfigMap ${PARAMS}/absent is neither rendered nor on the cluster (parameterNotFoundAction: Deny)`,
      ]);
      const counts = await agree(checker);
      expect(counts).toEqual({ denied: 21, admitted: 21, warned: 2 });
    } finally {
      admin.close();
    }
  });

  it('on updates, with the object on the cluster as oldObject', async () => {
    const current = deployment(PROD, 'updated', { replicas: 1, labels: { team: 'a' } });
    await create(objectPath(current.object), current.object);
    const stored = (await kubeRequest(fleet, CLUSTER, 'GET', `${objectPath(current.object)}/updated`)).body;
    expect(stored['metadata']).toBeDefined();
    const checker = admissionChecker({ cluster: CLUSTER, renderedObjects: repositoryInputs(), liveObject: (ref) => (ref.name === 'updated' && ref.namespace === PROD ? stored : undefined) });
    const updates: Case[] = [
      { ...deployment(PROD, 'updated', { replicas: 1, labels: { team: 'b' } }), name: 'team changed' },
      { ...deployment(PROD, 'updated', { replicas: 2, labels: { team: 'a' } }), name: 'replicas changed' },
      { ...deployment(PROD, 'updated', { replicas: 2, image: 'nginx:latest', labels: { team: 'a' } }), name: 'image unpinned' },
      { ...deployment(PROD, 'updated', { replicas: 7, labels: { team: 'c' } }), name: 'team and replicas' },
    ];
    for (const u of updates) expect(checker.evaluate({ object: u.object }).request?.operation).toBe('UPDATE');
    expect(await agree(checker, updates, 'PUT')).toEqual({ denied: 2, admitted: 2, warned: 1 });
  });
});
