import { describe, expect, it } from 'vitest';
import type { ValidationInput } from '../../../shared/validate/finding';
import { LINT_RULES, lintValidator } from '../../../shared/validate/lint/lint-check';
import { parseYamlDocuments } from '../../../shared/yaml/documents';

// Every lint rule has a failing and a passing fixture: a clean app (a Deployment, its Service and ServiceAccount)
// that no rule flags, and per rule one change that makes only that rule fire, then the same app made right again in
// a different way than the clean one where the rule allows it.

const CLEAN = `apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: []}}
      securityContext: {runAsNonRoot: true}
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          ports: [{containerPort: 8080}]
          env: [{name: MODE, value: prod}]
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 500m, memory: 128Mi}}
          livenessProbe: {httpGet: {path: /live, port: 8080}}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
          securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;

type Doc = Record<string, unknown> & { spec: { template: { spec: PodSpec } } };
interface PodSpec extends Record<string, unknown> {
  containers: (Record<string, unknown> & { securityContext: Record<string, unknown> & { capabilities: Record<string, unknown> }; resources: { requests: Record<string, unknown>; limits: Record<string, unknown> } })[];
  securityContext: Record<string, unknown>;
}

/** The clean app with a change to its Deployment (`d`), its pod spec (`p`) and first container (`c`), or to every doc. */
function app(change: (d: Doc, p: PodSpec, c: PodSpec['containers'][0], all: Record<string, unknown>[]) => void = () => {}): ValidationInput[] {
  const docs = parseYamlDocuments(CLEAN, 'apps/web/all.yaml').docs.map((d) => d.value as Record<string, unknown>);
  const dep = docs[2] as Doc;
  change(dep, dep.spec.template.spec, dep.spec.template.spec.containers[0]!, docs);
  return docs.map((object) => ({ object, source: { file: 'apps/web/all.yaml' } }));
}

const FIXTURES: Record<string, { fail: ReturnType<typeof app>; pass: ReturnType<typeof app>; path?: string; also?: string[] }> = {
  'latest-tag': { fail: app((_d, _p, c) => (c.image = 'nginx:latest')), pass: app((_d, _p, c) => (c.image = 'nginx@sha256:0123456789abcdef')), path: 'spec.template.spec.containers[0].image' },
  'unset-cpu-requirements': { fail: app((_d, _p, c) => delete c.resources.limits.cpu), pass: app((_d, _p, c) => (c.resources.limits.cpu = 2)) },
  'unset-memory-requirements': { fail: app((_d, _p, c) => (c.resources.requests.memory = '0')), pass: app((_d, _p, c) => (c.resources.requests.memory = '1Gi')) },
  'run-as-non-root': { fail: app((_d, p) => delete p.securityContext.runAsNonRoot), pass: app((_d, p, c) => { delete p.securityContext.runAsNonRoot; c.securityContext.runAsUser = 1000; }) },
  'no-read-only-root-fs': { fail: app((_d, _p, c) => (c.securityContext.readOnlyRootFilesystem = false)), pass: app() },
  'privileged-container': { fail: app((_d, _p, c) => (c.securityContext.privileged = true)), pass: app((_d, _p, c) => (c.securityContext.privileged = false)), path: 'spec.template.spec.containers[0].securityContext.privileged', also: ['privilege-escalation-container'] },
  'privilege-escalation-container': { fail: app((_d, _p, c) => (c.securityContext.allowPrivilegeEscalation = true)), pass: app() },
  'drop-net-raw-capability': { fail: app((_d, _p, c) => (c.securityContext.capabilities.drop = ['CHOWN'])), pass: app((_d, _p, c) => (c.securityContext.capabilities.drop = ['NET_RAW'])) },
  'env-var-secret': { fail: app((_d, _p, c) => (c.env = [{ name: 'DB_SECRET', value: 'hunter2' }])), pass: app((_d, _p, c) => (c.env = [{ name: 'DB_SECRET', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }])) },
  'ssh-port': { fail: app((_d, _p, c) => (c.ports = [{ containerPort: 22 }])), pass: app((_d, _p, c) => (c.ports = [{ containerPort: 22, protocol: 'UDP' }])) },
  'no-liveness-probe': { fail: app((_d, _p, c) => delete c.livenessProbe), pass: app() },
  'no-readiness-probe': { fail: app((_d, _p, c) => delete c.readinessProbe), pass: app() },
  'host-network': { fail: app((_d, p) => (p.hostNetwork = true)), pass: app((_d, p) => (p.hostNetwork = false)) },
  'host-pid': { fail: app((_d, p) => (p.hostPID = true)), pass: app((_d, p) => (p.hostPID = false)) },
  'host-ipc': { fail: app((_d, p) => (p.hostIPC = true)), pass: app((_d, p) => (p.hostIPC = false)) },
  'docker-sock': {
    fail: app((_d, p, c) => { p.volumes = [{ name: 'd', hostPath: { path: '/var/run/docker.sock' } }]; c.volumeMounts = [{ name: 'd', mountPath: '/var/run/docker.sock' }]; }),
    pass: app((_d, p, c) => { p.volumes = [{ name: 'd', emptyDir: {} }]; c.volumeMounts = [{ name: 'd', mountPath: '/var/run/docker.sock' }]; }),
  },
  'sensitive-host-mounts': {
    fail: app((_d, p, c) => { p.volumes = [{ name: 'e', hostPath: { path: '/etc/' } }]; c.volumeMounts = [{ name: 'e', mountPath: '/host-etc' }]; }),
    pass: app((_d, p, c) => { p.volumes = [{ name: 'e', hostPath: { path: '/var/log' } }]; c.volumeMounts = [{ name: 'e', mountPath: '/logs' }]; }),
  },
  'unsafe-sysctls': { fail: app((_d, p) => (p.securityContext.sysctls = [{ name: 'net.core.somaxconn', value: '1024' }])), pass: app((_d, p) => (p.securityContext.sysctls = [{ name: 'kernel.shm_rmid_forced', value: '1' }].filter(() => false))) },
  'no-anti-affinity': { fail: app((_d, p) => delete p.affinity), pass: app((d, p) => { delete p.affinity; (d.spec as Record<string, unknown>).replicas = 1; }) },
  'deprecated-service-account-field': { fail: app((_d, p) => (p.serviceAccount = 'web')), pass: app() },
  'dangling-service': { fail: app((_d, _p, _c, all) => ((all[1]!.spec as Record<string, unknown>).selector = { app: 'webb' })), pass: app((_d, _p, _c, all) => ((all[1]!.spec as Record<string, unknown>).selector = undefined)) },
  'mismatching-selector': { fail: app((d) => ((d.spec as Record<string, unknown>).selector = { matchLabels: { app: 'other' } })), pass: app((d) => ((d.spec as Record<string, unknown>).selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] })) },
  'non-existent-service-account': { fail: app((_d, p) => (p.serviceAccountName = 'builder')), pass: app((_d, p) => (p.serviceAccountName = 'default')) },
  'no-extensions-v1beta': { fail: app((_d, _p, _c, all) => (all[0]!.apiVersion = 'extensions/v1beta1')), pass: app() },
};

const run = (inputs: ValidationInput[], ignore = []) => lintValidator(ignore).run(inputs, { cluster: 'prod', app: 'web-prod' });

describe('lint rules after KubeLinter default checks', () => {
  it('the clean app passes every rule', () => {
    expect(run(app()).findings).toEqual([]);
  });

  it('every rule has a fixture, and each rule has an id, severity and remediation', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(LINT_RULES.map((r) => r.id).sort());
    for (const r of LINT_RULES) expect(r.remediation.length, r.id).toBeGreaterThan(10);
  });

  for (const [id, fx] of Object.entries(FIXTURES)) {
    it(`${id}: the failing fixture fires only this rule; the passing one fires nothing`, () => {
      const failed = [...run(fx.fail).findings];
      // A privileged container also allows privilege escalation (KubeLinter's privilege-escalation-container says so too).
      expect(failed.map((f) => f.id).sort()).toEqual([id, ...(fx.also ?? [])].sort());
      failed.sort((a, b) => (a.id === id ? -1 : b.id === id ? 1 : 0));
      expect(failed[0]).toMatchObject({ check: 'lint', cluster: 'prod', app: 'web-prod', remediation: LINT_RULES.find((r) => r.id === id)!.remediation });
      if (fx.path) expect(failed[0]!.fieldPath).toBe(fx.path);
      expect(run(fx.pass).findings).toEqual([]);
    });
  }

  it('an ignore-check annotation or a fleet-file rule switches a check off for that object only', () => {
    const both = app((d, _p, c, all) => {
      c.image = 'nginx';
      (d.metadata as Record<string, unknown>).annotations = { 'ignore-check.flotilla.dev/latest-tag': 'pinned by the mirror' };
      (all[1]!.spec as Record<string, unknown>).selector = { app: 'gone' };
    });
    expect(run(both).findings.map((f) => f.id)).toEqual(['dangling-service']);
    expect(lintValidator([{ check: 'dangling-service', app: 'web-prod' }]).run(both, { app: 'web-prod' }).findings).toEqual([]);
    expect(lintValidator([{ check: 'dangling-service', app: 'other' }]).run(both, { app: 'web-prod' }).findings).toHaveLength(1);
  });

  it('points at the line of the offending field', () => {
    const text = CLEAN.replace('image: registry.example.com/web:1.4.2', 'image: nginx');
    const docs = parseYamlDocuments(text, 'all.yaml').docs;
    const inputs = docs.map((d) => ({ object: d.value as Record<string, unknown>, source: { file: 'all.yaml', line: d.line }, locate: (p: readonly (string | number)[]) => ({ file: 'all.yaml', ...d.at(p) }) }));
    const f = run(inputs).findings;
    expect(f.map((x) => [x.id, x.source?.line, x.message])).toEqual([['latest-tag', 24, 'Deployment web: container "web" runs image "nginx" with no tag']]);
  });
});
